"""IAM virtual MFA devices through boto3: a real TOTP seed that an
authenticator (here RFC 6238 in Python) turns into the codes IAM checks."""
import base64
import hashlib
import hmac
import struct
import time
import uuid

import pytest
from botocore.exceptions import ClientError
from aws_helpers import error_of, unique


def totp(seed_b32, step):
    key = base64.b32decode(seed_b32 + "=" * (-len(seed_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1000000:06d}"


def two_codes(seed):
    step = int(time.time()) // 30 - 1
    return totp(seed, step), totp(seed, step + 1)


@pytest.fixture
def iam(server):
    account = str(uuid.uuid4().int)[:12].rjust(12, "1")
    client = server.client("iam", access_key=account)
    client.account = account
    return client


def test_virtual_mfa_device_lifecycle(iam):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone", Path="/team/",
                                           Tags=[{"Key": "owner", "Value": "alice"}])["VirtualMFADevice"]
    serial = device["SerialNumber"]
    assert serial == f"arn:aws:iam::{iam.account}:mfa/team/phone"
    seed = device["Base32StringSeed"].decode()
    assert len(seed) == 64 and set(seed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert device["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n")
    assert device["Tags"] == [{"Key": "owner", "Value": "alice"}]

    with pytest.raises(ClientError) as e:
        iam.create_virtual_mfa_device(VirtualMFADeviceName="phone", Path="/team/")
    assert error_of(e)["Code"] == "EntityAlreadyExists"

    listed = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in listed] == [serial] and "User" not in listed[0]
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []

    user = unique("mfa-user")
    iam.create_user(UserName=user)
    with pytest.raises(ClientError) as e:
        iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="123456",
                              AuthenticationCode2="654321")
    assert error_of(e)["Code"] == "InvalidAuthenticationCode"
    assert error_of(e)["Message"] == "Authentication code for device is not valid."
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    code1, code2 = two_codes(seed)
    iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1=code1, AuthenticationCode2=code2)
    devices = iam.list_mfa_devices(UserName=user)["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in devices] == [(user, serial)]
    assert "EnableDate" in devices[0]
    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned[0]["User"]["UserName"] == user
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []
    got = iam.get_mfa_device(SerialNumber=serial)
    assert got["UserName"] == user and got["SerialNumber"] == serial
    assert iam.get_account_summary()["SummaryMap"]["MFADevicesInUse"] == 1

    # A device serves one user; the user cannot go while it is theirs.
    other = unique("mfa-other")
    iam.create_user(UserName=other)
    with pytest.raises(ClientError) as e:
        iam.enable_mfa_device(UserName=other, SerialNumber=serial, AuthenticationCode1=code1,
                              AuthenticationCode2=code2)
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=user)
    assert error_of(e)["Code"] == "DeleteConflict"
    assert error_of(e)["Message"] == "Cannot delete entity, must remove MFA device first."
    with pytest.raises(ClientError) as e:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert error_of(e)["Code"] == "DeleteConflict"

    iam.resync_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1=code1, AuthenticationCode2=code2)
    with pytest.raises(ClientError) as e:
        iam.resync_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="000000",
                              AuthenticationCode2="000000")
    assert error_of(e)["Code"] == "InvalidAuthenticationCode"

    with pytest.raises(ClientError) as e:
        iam.deactivate_mfa_device(UserName=other, SerialNumber=serial)
    assert error_of(e)["Code"] == "NoSuchEntity"
    iam.deactivate_mfa_device(UserName=user, SerialNumber=serial)
    assert iam.list_mfa_devices(UserName=user)["MFADevices"] == []
    with pytest.raises(ClientError) as e:
        iam.get_mfa_device(SerialNumber=serial)
    assert error_of(e)["Code"] == "NoSuchEntity"
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    with pytest.raises(ClientError) as e:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"VirtualMFADevice with serial number {serial} doesn't exist."
    iam.delete_user(UserName=user)


def test_mfa_device_tags(iam):
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="tagged")["VirtualMFADevice"]["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["a"])
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "b", "Value": "2"}]
    missing = f"arn:aws:iam::{iam.account}:mfa/none"
    with pytest.raises(ClientError) as e:
        iam.list_mfa_device_tags(SerialNumber=missing)
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_virtual_mfa_devices_paginate(iam):
    for i in range(5):
        iam.create_virtual_mfa_device(VirtualMFADeviceName=f"d{i}")
    first = iam.list_virtual_mfa_devices(MaxItems=2)
    assert len(first["VirtualMFADevices"]) == 2 and first["IsTruncated"] is True
    serials = [d["SerialNumber"] for d in first["VirtualMFADevices"]]
    marker = first["Marker"]
    while marker:
        page = iam.list_virtual_mfa_devices(MaxItems=2, Marker=marker)
        serials += [d["SerialNumber"] for d in page["VirtualMFADevices"]]
        marker = page.get("Marker")
    assert serials == sorted(f"arn:aws:iam::{iam.account}:mfa/d{i}" for i in range(5))
    paginator = iam.get_paginator("list_virtual_mfa_devices")
    assert sum(len(p["VirtualMFADevices"]) for p in paginator.paginate(PaginationConfig={"PageSize": 3})) == 5


def test_enable_mfa_device_unknown_user_and_device(iam):
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="lonely")["VirtualMFADevice"]["SerialNumber"]
    with pytest.raises(ClientError) as e:
        iam.enable_mfa_device(UserName="nobody", SerialNumber=serial, AuthenticationCode1="123456",
                              AuthenticationCode2="123456")
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == "The user with name nobody cannot be found."
    with pytest.raises(ClientError) as e:
        iam.list_mfa_devices(UserName="nobody")
    assert error_of(e)["Code"] == "NoSuchEntity"
