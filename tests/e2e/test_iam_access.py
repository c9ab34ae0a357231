"""What IAM's operations ask IAM to allow, under --enforce-iam: the
resource ARNs and condition keys of AWS's Service Authorization Reference."""
import json
import uuid

import pytest
from botocore.exceptions import ClientError
from aws_helpers import error_of


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture(scope="module")
def enforced(make_server_module):
    return make_server_module("--enforce-iam")


@pytest.fixture(scope="module")
def make_server_module():
    from conftest import Server
    started = []

    def make(*args):
        s = Server(args).start()
        started.append(s)
        return s
    yield make
    for s in started:
        s.cleanup()


def user_with(server, statements):
    """A new user of its own account whose only policy holds `statements`, its client and the root's."""
    account = str(uuid.uuid4().int)[:12].rjust(12, "1")
    root = server.client("iam", access_key=account)
    name = f"u-{uuid.uuid4().hex[:8]}"
    root.create_user(UserName=name)
    root.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy(*statements))
    key = root.create_access_key(UserName=name)["AccessKey"]
    client = server.client("iam", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    return root, client, name, account


def denied(call):
    with pytest.raises(ClientError) as e:
        call()
    assert error_of(e)["Code"] == "AccessDenied", error_of(e)
    return error_of(e)["Message"]


def test_user_operations_default_to_the_callers_own_arn(enforced):
    root, me, name, account = user_with(enforced, [
        {"Effect": "Allow", "Action": ["iam:GetUser", "iam:ListAccessKeys", "iam:ListMFADevices"],
         "Resource": "arn:aws:iam::*:user/${aws:username}"}])
    assert me.get_user()["User"]["UserName"] == name
    assert me.list_access_keys()["AccessKeyMetadata"][0]["UserName"] == name
    assert me.list_mfa_devices()["MFADevices"] == []
    root.create_user(UserName="other")
    message = denied(lambda: me.get_user(UserName="other"))
    assert f"arn:aws:iam::{account}:user/other" in message
    # A user that does not exist is described by its path-less ARN, and the
    # caller learns nothing about it unless allowed.
    assert f"arn:aws:iam::{account}:user/ghost" in denied(lambda: me.get_user(UserName="ghost"))


def test_resource_arns_carry_the_entity_path(enforced):
    root, me, _, account = user_with(enforced, [
        {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::*:role/apps/*"}])
    trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    root.create_role(RoleName="web", Path="/apps/", AssumeRolePolicyDocument=trust)
    root.create_role(RoleName="db", AssumeRolePolicyDocument=trust)
    assert me.get_role(RoleName="web")["Role"]["Path"] == "/apps/"
    assert f"arn:aws:iam::{account}:role/db" in denied(lambda: me.get_role(RoleName="db"))


def test_policy_arn_condition_on_attach(enforced):
    root, me, _, _ = user_with(enforced, [
        {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*",
         "Condition": {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}])
    root.create_user(UserName="target")
    me.attach_user_policy(UserName="target", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    denied(lambda: me.attach_user_policy(UserName="target", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"))


def test_permissions_boundary_condition_on_create_user(enforced):
    boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    _, me, _, _ = user_with(enforced, [
        {"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PermissionsBoundary": boundary}}}])
    assert me.create_user(UserName="bounded", PermissionsBoundary=boundary)["User"]["UserName"] == "bounded"
    denied(lambda: me.create_user(UserName="unbounded"))


def test_request_tags_and_tag_keys(enforced):
    root, me, _, _ = user_with(enforced, [
        {"Effect": "Allow", "Action": ["iam:CreateRole", "iam:TagRole"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestTag/team": "web"},
                       "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}},
        {"Effect": "Allow", "Action": "iam:UntagRole", "Resource": "*",
         "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["scratch"]}}}])
    trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    me.create_role(RoleName="tagged", AssumeRolePolicyDocument=trust, Tags=[{"Key": "team", "Value": "web"}])
    denied(lambda: me.create_role(RoleName="wrong", AssumeRolePolicyDocument=trust,
                                  Tags=[{"Key": "team", "Value": "db"}]))
    denied(lambda: me.tag_role(RoleName="tagged", Tags=[{"Key": "owner", "Value": "x"}]))
    me.untag_role(RoleName="tagged", TagKeys=["scratch"])
    denied(lambda: me.untag_role(RoleName="tagged", TagKeys=["team"]))


def test_new_resource_types(enforced):
    root, me, _, account = user_with(enforced, [
        {"Effect": "Allow", "Action": "iam:CreateVirtualMFADevice", "Resource": "arn:aws:iam::*:mfa/ok-*"},
        {"Effect": "Allow", "Action": "iam:GetOpenIDConnectProvider",
         "Resource": "arn:aws:iam::*:oidc-provider/allowed.example.com"},
        {"Effect": "Allow", "Action": ["iam:ListServerCertificates", "iam:ListVirtualMFADevices"], "Resource": "*"}])
    me.create_virtual_mfa_device(VirtualMFADeviceName="ok-phone")
    assert f"arn:aws:iam::{account}:mfa/nope" in denied(
        lambda: me.create_virtual_mfa_device(VirtualMFADeviceName="nope"))
    thumb = "a" * 40
    for host in ["allowed.example.com", "other.example.com"]:
        root.create_open_id_connect_provider(Url=f"https://{host}", ThumbprintList=[thumb])
    me.get_open_id_connect_provider(OpenIDConnectProviderArn=f"arn:aws:iam::{account}:oidc-provider/allowed.example.com")
    denied(lambda: me.get_open_id_connect_provider(
        OpenIDConnectProviderArn=f"arn:aws:iam::{account}:oidc-provider/other.example.com"))
    assert me.list_server_certificates()["ServerCertificateMetadataList"] == []
    assert len(me.list_virtual_mfa_devices()["VirtualMFADevices"]) == 1
    denied(lambda: me.list_users())
