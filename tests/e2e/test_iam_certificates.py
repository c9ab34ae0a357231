"""IAM server certificates, signing certificates, SSH public keys and
service-specific credentials through boto3, with real keys and X.509
certificates made by the `cryptography` package."""
import base64
import datetime
import hashlib
import uuid

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from aws_helpers import error_of, unique


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def certificate(key, name="terrarium.test", days=30):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=days)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode(), now + datetime.timedelta(days=days)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


@pytest.fixture
def iam(server):
    account = str(uuid.uuid4().int)[:12].rjust(12, "1")
    client = server.client("iam", access_key=account)
    client.account = account
    return client


@pytest.fixture(scope="module")
def keypair():
    key = rsa_key()
    body, expiration = certificate(key)
    return key, body, expiration


# Server certificates


def test_server_certificate_lifecycle(iam, keypair):
    key, body, expiration = keypair
    meta = iam.upload_server_certificate(ServerCertificateName="web", Path="/cloudfront/", CertificateBody=body,
                                         PrivateKey=key_pem(key), Tags=[{"Key": "env", "Value": "dev"}])
    assert meta["Tags"] == [{"Key": "env", "Value": "dev"}]
    meta = meta["ServerCertificateMetadata"]
    assert meta["Arn"] == f"arn:aws:iam::{iam.account}:server-certificate/cloudfront/web"
    assert meta["ServerCertificateId"].startswith("ASCA") and meta["Path"] == "/cloudfront/"
    assert meta["Expiration"] == expiration

    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["CertificateBody"] == body and got["ServerCertificateMetadata"]["Arn"] == meta["Arn"]
    assert "PrivateKey" not in got
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName="web", CertificateBody=body, PrivateKey=key_pem(key))
    assert error_of(e)["Code"] == "EntityAlreadyExists"

    assert [m["ServerCertificateName"] for m in
            iam.list_server_certificates(PathPrefix="/cloudfront/")["ServerCertificateMetadataList"]] == ["web"]
    assert iam.list_server_certificates(PathPrefix="/elb/")["ServerCertificateMetadataList"] == []

    iam.update_server_certificate(ServerCertificateName="web", NewServerCertificateName="www", NewPath="/elb/")
    got = iam.get_server_certificate(ServerCertificateName="www")["ServerCertificate"]["ServerCertificateMetadata"]
    assert got["Arn"] == f"arn:aws:iam::{iam.account}:server-certificate/elb/www"
    with pytest.raises(ClientError) as e:
        iam.get_server_certificate(ServerCertificateName="web")
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == "The Server Certificate with name web cannot be found."

    iam.tag_server_certificate(ServerCertificateName="www", Tags=[{"Key": "team", "Value": "edge"}])
    iam.untag_server_certificate(ServerCertificateName="www", TagKeys=["env"])
    assert iam.list_server_certificate_tags(ServerCertificateName="www")["Tags"] == [
        {"Key": "team", "Value": "edge"}]
    assert iam.get_account_summary()["SummaryMap"]["ServerCertificates"] == 1
    iam.delete_server_certificate(ServerCertificateName="www")
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []


def test_server_certificate_rejects_bad_pem_and_wrong_key(iam, keypair):
    key, body, _ = keypair
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody="not a certificate",
                                      PrivateKey=key_pem(key))
    assert error_of(e)["Code"] == "MalformedCertificate"
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody=body,
                                      PrivateKey=key_pem(rsa_key()))
    assert error_of(e)["Code"] == "KeyPairMismatch"
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []


# Signing certificates


def test_signing_certificates(iam, keypair):
    _, body, _ = keypair
    user = unique("signer")
    iam.create_user(UserName=user)
    cert = iam.upload_signing_certificate(UserName=user, CertificateBody=body)["Certificate"]
    assert cert["UserName"] == user and cert["Status"] == "Active" and cert["CertificateBody"] == body
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=user, CertificateBody=body)
    assert error_of(e)["Code"] == "DuplicateCertificate"
    iam.upload_signing_certificate(UserName=user, CertificateBody=certificate(rsa_key(), "two")[0])
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=user, CertificateBody=certificate(rsa_key(), "three")[0])
    assert error_of(e)["Code"] == "LimitExceeded"
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=user, CertificateBody="garbage")
    assert error_of(e)["Code"] == "MalformedCertificate"

    iam.update_signing_certificate(UserName=user, CertificateId=cert["CertificateId"], Status="Inactive")
    listed = {c["CertificateId"]: c["Status"] for c in iam.list_signing_certificates(UserName=user)["Certificates"]}
    assert listed[cert["CertificateId"]] == "Inactive" and len(listed) == 2
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=user)
    assert error_of(e)["Message"] == "Cannot delete entity, must delete signing certificates first."
    for cid in listed:
        iam.delete_signing_certificate(UserName=user, CertificateId=cid)
    with pytest.raises(ClientError) as e:
        iam.delete_signing_certificate(UserName=user, CertificateId=cert["CertificateId"])
    assert error_of(e)["Code"] == "NoSuchEntity"
    iam.delete_user(UserName=user)


# SSH public keys


def ssh_body(key):
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                         serialization.PublicFormat.OpenSSH).decode()


def test_ssh_public_keys(iam):
    user = unique("git")
    iam.create_user(UserName=user)
    key = rsa_key()
    body = ssh_body(key)
    uploaded = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=body + " alice@laptop")["SSHPublicKey"]
    blob = base64.b64decode(body.split()[1])
    assert uploaded["Fingerprint"] == ":".join(f"{b:02x}" for b in hashlib.md5(blob).digest())
    assert uploaded["SSHPublicKeyId"].startswith("APKA") and uploaded["Status"] == "Active"
    key_id = uploaded["SSHPublicKeyId"]

    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=body)
    assert error_of(e)["Code"] == "DuplicateSSHPublicKey"
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody="ssh-rsa !!!notbase64")
    assert error_of(e)["Code"] == "InvalidPublicKey"
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=ssh_body(rsa_key(1024)))
    assert error_of(e)["Code"] == "InvalidPublicKey"
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA")
    assert error_of(e)["Code"] == "UnrecognizedPublicKeyEncoding"

    pem = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Encoding="PEM")["SSHPublicKey"]
    loaded = serialization.load_pem_public_key(pem["SSHPublicKeyBody"].encode())
    assert loaded.public_numbers() == key.public_key().public_numbers()
    ssh = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Encoding="SSH")["SSHPublicKey"]
    assert ssh["SSHPublicKeyBody"].split()[:2] == body.split()[:2]

    # A PEM key is taken too, and has the same fingerprint as its SSH form.
    other = rsa_key()
    pem_body = other.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    by_pem = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=pem_body)["SSHPublicKey"]
    other_blob = base64.b64decode(ssh_body(other).split()[1])
    assert by_pem["Fingerprint"] == ":".join(f"{b:02x}" for b in hashlib.md5(other_blob).digest())

    iam.update_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Status="Inactive")
    listed = iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"]
    assert {k["SSHPublicKeyId"]: k["Status"] for k in listed} == {key_id: "Inactive",
                                                                  by_pem["SSHPublicKeyId"]: "Active"}
    page = iam.list_ssh_public_keys(UserName=user, MaxItems=1)
    assert len(page["SSHPublicKeys"]) == 1 and page["IsTruncated"] is True
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=user)
    assert error_of(e)["Message"] == "Cannot delete entity, must delete SSH public keys first."
    iam.delete_ssh_public_key(UserName=user, SSHPublicKeyId=key_id)
    iam.delete_ssh_public_key(UserName=user, SSHPublicKeyId=by_pem["SSHPublicKeyId"])
    with pytest.raises(ClientError) as e:
        iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Encoding="SSH")
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"The Public Key with id {key_id} cannot be found."
    iam.delete_user(UserName=user)


# Service-specific credentials


def test_service_specific_credentials(iam):
    user = unique("coder")
    iam.create_user(UserName=user)
    cred = iam.create_service_specific_credential(UserName=user,
                                                  ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
    assert cred["ServiceUserName"] == f"{user}-at-{iam.account}"
    assert cred["ServiceSpecificCredentialId"].startswith("ACCA") and cred["Status"] == "Active"
    assert len(cred["ServicePassword"]) >= 20
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(UserName=user, ServiceName="s3.amazonaws.com")
    assert error_of(e)["Code"] == "NotSupportedService"
    iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")
    assert error_of(e)["Code"] == "LimitExceeded"
    keyspaces = iam.create_service_specific_credential(
        UserName=user, ServiceName="cassandra.amazonaws.com")["ServiceSpecificCredential"]

    listed = iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]
    assert len(listed) == 3 and all("ServicePassword" not in c for c in listed)
    only = iam.list_service_specific_credentials(UserName=user, ServiceName="cassandra.amazonaws.com")
    assert [c["ServiceSpecificCredentialId"] for c in only["ServiceSpecificCredentials"]] == [
        keyspaces["ServiceSpecificCredentialId"]]

    reset = iam.reset_service_specific_credential(
        UserName=user, ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != cred["ServicePassword"]
    iam.update_service_specific_credential(UserName=user, ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"],
                                           Status="Inactive")
    statuses = {c["ServiceSpecificCredentialId"]: c["Status"]
                for c in iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]}
    assert statuses[cred["ServiceSpecificCredentialId"]] == "Inactive"
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=user)
    assert error_of(e)["Message"] == "Cannot delete entity, must delete service specific credentials first."
    for cid in statuses:
        iam.delete_service_specific_credential(UserName=user, ServiceSpecificCredentialId=cid)
    with pytest.raises(ClientError) as e:
        iam.reset_service_specific_credential(UserName=user,
                                              ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])
    assert error_of(e)["Code"] == "NoSuchEntity"
    iam.delete_user(UserName=user)
