"""STS through boto3 and the AWS CLI, as a user of AWS would call it."""
import base64
import datetime
import hashlib
import json
import time

import boto3
import botocore
import botocore.config
import pytest
from botocore.exceptions import ClientError
from aws_helpers import error_of

ROLE = "arn:aws:iam::111111111111:role/app/deployer"


def test_caller_identity_of_test_keys_is_default_account_root(server):
    who = server.client("sts").get_caller_identity()
    assert who["Account"] == "000000000000"
    assert who["Arn"] == "arn:aws:iam::000000000000:root"
    assert who["UserId"] == "000000000000"


def test_twelve_digit_key_is_that_account(server):
    who = server.client("sts", access_key="222233334444").get_caller_identity()
    assert who["Account"] == "222233334444"
    assert who["Arn"] == "arn:aws:iam::222233334444:root"


def test_assume_role_credentials_act_as_the_role_in_its_account(server):
    sts = server.client("sts")
    before = time.time()
    out = sts.assume_role(RoleArn=ROLE, RoleSessionName="ci-run", DurationSeconds=1800)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert len(creds["SecretAccessKey"]) == 40
    expires = creds["Expiration"].timestamp()
    assert before + 1790 <= expires <= time.time() + 1810
    user = out["AssumedRoleUser"]
    assert user["Arn"] == "arn:aws:sts::111111111111:assumed-role/deployer/ci-run"
    assert user["AssumedRoleId"].startswith("AROA") and user["AssumedRoleId"].endswith(":ci-run")

    as_role = server.client("sts", access_key=creds["AccessKeyId"],
                            secret_key=creds["SecretAccessKey"], session_token=creds["SessionToken"])
    who = as_role.get_caller_identity()
    assert who == {**who, "Account": "111111111111", "Arn": user["Arn"],
                   "UserId": user["AssumedRoleId"]}
    # The key encodes its account, as AWS's keys do.
    assert sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"] == "111111111111"


def test_assume_role_validates_as_aws_does(server):
    sts = server.client("sts")
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="bad name!")
    err = error_of(e)
    assert err["Code"] == "ValidationError"
    assert err["Message"] == ("1 validation error detected: Value 'bad name!' at 'roleSessionName' "
                              "failed to satisfy constraint: Member must satisfy regular expression "
                              "pattern: [\\w+=,.@-]*")
    # What botocore would refuse before sending, as other SDKs and curl may send it.
    raw = server.client("sts", parameter_validation=False)
    with pytest.raises(ClientError) as e:
        raw.assume_role(RoleArn=ROLE, RoleSessionName="s", DurationSeconds=100000)
    err = error_of(e)
    assert err["Code"] == "ValidationError"
    assert "2 validation errors detected" in err["Message"]
    assert "Member must have length greater than or equal to 2" in err["Message"]
    assert "Member must have value less than or equal to 43200" in err["Message"]
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn="arn:aws:iam::111111111111:user/bob", RoleSessionName="ok")
    assert error_of(e)["Code"] == "ValidationError"
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="ok", Policy="{not json")
    assert error_of(e)["Code"] == "MalformedPolicyDocument"
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="ok",
                        Tags=[{"Key": "team", "Value": "a"}, {"Key": "Team", "Value": "b"}])
    assert error_of(e)["Code"] == "InvalidParameterValue"


def test_session_tags_and_policy_report_packed_size(server):
    out = server.client("sts").assume_role(
        RoleArn=ROLE, RoleSessionName="tagged", SourceIdentity="alice",
        Tags=[{"Key": "team", "Value": "platform"}],
        Policy=json.dumps({"Version": "2012-10-17",
                           "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    assert 0 < out["PackedPolicySize"] <= 100
    assert out["SourceIdentity"] == "alice"


def test_role_chaining_is_limited_to_one_hour(server):
    creds = server.client("sts").assume_role(RoleArn=ROLE, RoleSessionName="first")["Credentials"]
    as_role = server.client("sts", access_key=creds["AccessKeyId"],
                            secret_key=creds["SecretAccessKey"], session_token=creds["SessionToken"])
    with pytest.raises(ClientError) as e:
        as_role.assume_role(RoleArn=ROLE, RoleSessionName="second", DurationSeconds=7200)
    assert error_of(e)["Code"] == "ValidationError"
    assert "role chaining" in error_of(e)["Message"]
    chained = as_role.assume_role(RoleArn="arn:aws:iam::333333333333:role/next",
                                  RoleSessionName="second")
    assert chained["AssumedRoleUser"]["Arn"] == "arn:aws:sts::333333333333:assumed-role/next/second"


def test_session_token_keeps_the_identity_and_refuses_sessions(server):
    sts = server.client("sts", access_key="444455556666")
    creds = sts.get_session_token(DurationSeconds=900)["Credentials"]
    session = server.client("sts", access_key=creds["AccessKeyId"],
                            secret_key=creds["SecretAccessKey"], session_token=creds["SessionToken"])
    assert session.get_caller_identity()["Arn"] == "arn:aws:iam::444455556666:root"
    with pytest.raises(ClientError) as e:
        session.get_session_token()
    assert error_of(e)["Code"] == "AccessDenied"
    with pytest.raises(ClientError) as e:
        session.get_federation_token(Name="bob")
    assert error_of(e)["Code"] == "AccessDenied"


def test_federation_token(server):
    out = server.client("sts", access_key="444455556666").get_federation_token(Name="bob")
    assert out["FederatedUser"] == {"FederatedUserId": "444455556666:bob",
                                    "Arn": "arn:aws:sts::444455556666:federated-user/bob"}
    creds = out["Credentials"]
    fed = server.client("sts", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                        session_token=creds["SessionToken"])
    assert fed.get_caller_identity()["Arn"] == "arn:aws:sts::444455556666:federated-user/bob"


def b64url(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def jwt(claims):
    return b64url({"alg": "RS256", "typ": "JWT"}) + "." + b64url(claims) + ".c2lnbmF0dXJl"


def unsigned_sts(server):
    return boto3.client(
        "sts", endpoint_url=server.endpoint, region_name="us-east-1",
        config=botocore.config.Config(signature_version=botocore.UNSIGNED,
                                      retries={"max_attempts": 1}))


def test_web_identity_is_unsigned_and_reads_the_token(server):
    sts = unsigned_sts(server)
    token = jwt({"iss": "https://token.actions.githubusercontent.com", "sub": "repo:acme/app",
                 "aud": "sts.amazonaws.com", "exp": int(time.time()) + 600})
    out = sts.assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="gha",
                                            WebIdentityToken=token)
    assert out["SubjectFromWebIdentityToken"] == "repo:acme/app"
    assert out["Audience"] == "sts.amazonaws.com"
    assert out["Provider"] == "token.actions.githubusercontent.com"
    assert out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::111111111111:assumed-role/deployer/gha"
    with pytest.raises(ClientError) as e:
        sts.assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="gha", WebIdentityToken="nope")
    assert error_of(e)["Code"] == "InvalidIdentityToken"
    expired = jwt({"iss": "https://x", "sub": "s", "aud": "a", "exp": int(time.time()) - 60})
    with pytest.raises(ClientError) as e:
        sts.assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="gha", WebIdentityToken=expired)
    assert error_of(e)["Code"] == "ExpiredTokenException"


SAML = """<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
 <saml:Issuer>https://idp.example.com/</saml:Issuer>
 <saml:Assertion>
  <saml:Issuer>https://idp.example.com/</saml:Issuer>
  <saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice@example.com</saml:NameID></saml:Subject>
  <saml:Conditions NotOnOrAfter="2999-01-01T00:00:00Z"><saml:AudienceRestriction>
   <saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>
  <saml:AttributeStatement>
   <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">
    <saml:AttributeValue>alice</saml:AttributeValue></saml:Attribute>
  </saml:AttributeStatement>
 </saml:Assertion>
</samlp:Response>"""


def test_saml(server):
    provider = "arn:aws:iam::111111111111:saml-provider/corp"
    out = unsigned_sts(server).assume_role_with_saml(
        RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=base64.b64encode(SAML.encode()).decode())
    assert out["Subject"] == "alice@example.com"
    assert out["SubjectType"] == "persistent"
    assert out["Issuer"] == "https://idp.example.com/"
    assert out["Audience"] == "https://signin.aws.amazon.com/saml"
    # AWS documents NameQualifier as base64(sha1(issuer + account id + "/" + provider name)).
    expected = base64.b64encode(hashlib.sha1(b"https://idp.example.com/111111111111/corp").digest()).decode()
    assert out["NameQualifier"] == expected
    assert out["AssumedRoleUser"]["Arn"].endswith(":assumed-role/deployer/alice")


def test_access_key_info_and_authorization_messages(server):
    sts = server.client("sts")
    with pytest.raises(ClientError) as e:
        sts.get_access_key_info(AccessKeyId="ZZZZ0000000000000000")
    assert error_of(e)["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        sts.decode_authorization_message(EncodedMessage="garbage")
    assert error_of(e)["Code"] == "InvalidAuthorizationMessageException"


def test_assume_root_gives_the_member_account_root(server):
    out = server.client("sts", access_key="111111111111").assume_root(
        TargetPrincipal="222222222222",
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"})
    creds = out["Credentials"]
    root = server.client("sts", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                         session_token=creds["SessionToken"])
    assert root.get_caller_identity()["Arn"] == "arn:aws:iam::222222222222:root"


def test_aws_cli_get_caller_identity(server):
    out = server.cli("sts", "get-caller-identity", "--output", "json")
    assert json.loads(out.stdout)["Arn"] == "arn:aws:iam::000000000000:root"
    out = server.cli("sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "cli",
                     "--output", "json")
    assert json.loads(out.stdout)["AssumedRoleUser"]["Arn"].endswith("/deployer/cli")
