"""--verify-signatures: SigV4 is really checked, with AWS's errors."""
import datetime
import urllib.error
import urllib.parse
import urllib.request
from unittest import mock

import pytest
from botocore.exceptions import ClientError


@pytest.fixture(scope="module")
def verifying(request):
    from conftest import Server
    s = Server(["--verify-signatures"]).start()
    request.addfinalizer(s.cleanup)
    return s


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_good_signatures_pass(verifying):
    assert verifying.client("sts").get_caller_identity()["Account"] == "000000000000"
    assert verifying.client("sts", access_key="123456789012").get_caller_identity()["Account"] == "123456789012"


def test_wrong_secret_is_signature_does_not_match(verifying):
    with pytest.raises(ClientError) as e:
        verifying.client("sts", secret_key="wrong").get_caller_identity()
    assert code_of(e) == "SignatureDoesNotMatch"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_key_is_invalid_client_token(verifying):
    with pytest.raises(ClientError) as e:
        verifying.client("sts", access_key="AKIAIOSFODNN7EXAMPLE").get_caller_identity()
    assert code_of(e) == "InvalidClientTokenId"


def test_issued_credentials_verify_with_their_secret(verifying):
    creds = verifying.client("sts").assume_role(
        RoleArn="arn:aws:iam::111111111111:role/r", RoleSessionName="vv")["Credentials"]
    ok = verifying.client("sts", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                          session_token=creds["SessionToken"])
    assert ok.get_caller_identity()["Account"] == "111111111111"
    bad = verifying.client("sts", access_key=creds["AccessKeyId"], secret_key="x" * 40,
                           session_token=creds["SessionToken"])
    with pytest.raises(ClientError) as e:
        bad.get_caller_identity()
    assert code_of(e) == "SignatureDoesNotMatch"


def test_old_signature_is_refused(verifying):
    old = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=1)
    with mock.patch("botocore.auth.get_current_datetime", return_value=old):
        with pytest.raises(ClientError) as e:
            verifying.client("sts").get_caller_identity()
    assert code_of(e) == "SignatureDoesNotMatch"
    assert "expired" in e.value.response["Error"]["Message"].lower()


def test_unsigned_request_is_refused_but_web_identity_is_not(verifying):
    req = urllib.request.Request(f"{verifying.endpoint}/",
                                 data=b"Action=GetCallerIdentity&Version=2011-06-15",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 403 and b"MissingAuthenticationToken" in e.value.read()
    req = urllib.request.Request(f"{verifying.endpoint}/", data=urllib.parse.urlencode({
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
        "RoleArn": "arn:aws:iam::111111111111:role/r", "RoleSessionName": "ww",
        "WebIdentityToken": "e30.eyJzdWIiOiJ4In0.c2ln"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert b"AssumeRoleWithWebIdentityResult" in urllib.request.urlopen(req).read()


def test_presigned_url(verifying):
    # botocore presigns query-protocol operations for POST with an empty body.
    url = verifying.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=60)
    body = urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST")).read()
    assert b"<Account>000000000000</Account>" in body
    tampered = url.replace("X-Amz-Expires=60", "X-Amz-Expires=61")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(urllib.request.Request(tampered, data=b"", method="POST"))
    assert e.value.code == 403 and b"SignatureDoesNotMatch" in e.value.read()
