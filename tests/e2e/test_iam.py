"""IAM through boto3, as a user of AWS would call it: users, access keys,
groups, roles, managed and inline policies, instance profiles, the account."""
import json
import uuid

import pytest
from botocore.exceptions import ClientError
from aws_helpers import error_of, status_of, unique

ACCOUNT = "000000000000"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


@pytest.fixture(scope="module")
def iam(server):
    return server.client("iam")


@pytest.fixture
def account_iam(server):
    """An IAM client in an account of its own, so counts and lists start empty."""
    account = str(uuid.uuid4().int)[:12].rjust(12, "1")
    return server.client("iam", access_key=account)


# Users


def test_user_lifecycle(iam):
    name = unique("alice")
    created = iam.create_user(UserName=name, Path="/eng/", Tags=[{"Key": "team", "Value": "web"}])["User"]
    assert created["UserName"] == name and created["Path"] == "/eng/"
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/{name}"
    assert created["UserId"].startswith("AIDA") and len(created["UserId"]) == 21
    assert created["Tags"] == [{"Key": "team", "Value": "web"}]
    got = iam.get_user(UserName=name)["User"]
    assert got["UserId"] == created["UserId"] and got["CreateDate"] == created["CreateDate"]
    # Names are unique regardless of case, and found regardless of case.
    assert iam.get_user(UserName=name.upper())["User"]["UserName"] == name
    with pytest.raises(ClientError) as e:
        iam.create_user(UserName=name.upper())
    assert error_of(e)["Code"] == "EntityAlreadyExists" and status_of(e) == 409
    assert error_of(e)["Message"] == f"User with name {name} already exists."

    renamed = name + "-b"
    iam.update_user(UserName=name, NewUserName=renamed, NewPath="/ops/")
    got = iam.get_user(UserName=renamed)["User"]
    assert got["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/ops/{renamed}" and got["UserId"] == created["UserId"]
    iam.delete_user(UserName=renamed)
    with pytest.raises(ClientError) as e:
        iam.get_user(UserName=renamed)
    assert error_of(e)["Code"] == "NoSuchEntity" and status_of(e) == 404
    assert error_of(e)["Message"] == f"The user with name {renamed} cannot be found."


def test_list_users_filters_by_path_and_paginates(account_iam):
    for i in range(5):
        account_iam.create_user(UserName=f"u{i}", Path="/a/" if i % 2 else "/b/")
    assert [u["UserName"] for u in account_iam.list_users()["Users"]] == ["u0", "u1", "u2", "u3", "u4"]
    assert [u["UserName"] for u in account_iam.list_users(PathPrefix="/a/")["Users"]] == ["u1", "u3"]
    page = account_iam.list_users(MaxItems=2)
    assert page["IsTruncated"] and [u["UserName"] for u in page["Users"]] == ["u0", "u1"]
    page2 = account_iam.list_users(MaxItems=2, Marker=page["Marker"])
    assert [u["UserName"] for u in page2["Users"]] == ["u2", "u3"]
    names = [u["UserName"] for p in account_iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
             for u in p["Users"]]
    assert names == ["u0", "u1", "u2", "u3", "u4"]
    last = account_iam.list_users(Marker=page2["Marker"])
    assert not last["IsTruncated"] and "Marker" not in last


def test_user_tags(iam):
    name = unique("tagged")
    iam.create_user(UserName=name)
    iam.tag_user(UserName=name, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.tag_user(UserName=name, Tags=[{"Key": "A", "Value": "3"}])
    assert iam.list_user_tags(UserName=name)["Tags"] == [{"Key": "A", "Value": "3"}, {"Key": "b", "Value": "2"}]
    iam.untag_user(UserName=name, TagKeys=["b"])
    assert iam.list_user_tags(UserName=name)["Tags"] == [{"Key": "A", "Value": "3"}]
    with pytest.raises(ClientError) as e:
        iam.tag_user(UserName=name, Tags=[{"Key": "x", "Value": "1"}, {"Key": "X", "Value": "2"}])
    assert error_of(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.tag_user(UserName=name, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert error_of(e)["Code"] == "LimitExceeded"
    with pytest.raises(ClientError) as e:
        iam.list_user_tags(UserName="nobody-" + name)
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_delete_user_conflicts(iam):
    name = unique("busy")
    group = unique("g")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=name)
    assert error_of(e)["Code"] == "DeleteConflict" and status_of(e) == 409
    assert error_of(e)["Message"] == "Cannot delete entity, must delete access keys first."
    iam.delete_access_key(UserName=name, AccessKeyId=key)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(POLICY))
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must delete policies first."
    iam.delete_user_policy(UserName=name, PolicyName="p")
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must detach all policies first."
    iam.detach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.create_group(GroupName=group)
    iam.add_user_to_group(GroupName=group, UserName=name)
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must remove users from group first."
    iam.remove_user_from_group(GroupName=group, UserName=name)
    iam.create_login_profile(UserName=name, Password="Sup3r-secret!")
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must delete login profile first."
    iam.delete_login_profile(UserName=name)
    iam.delete_user(UserName=name)


def test_login_profile(iam):
    name = unique("console")
    iam.create_user(UserName=name)
    profile = iam.create_login_profile(UserName=name, Password="Pa55word!", PasswordResetRequired=True)["LoginProfile"]
    assert profile["UserName"] == name and profile["PasswordResetRequired"] is True
    with pytest.raises(ClientError) as e:
        iam.create_login_profile(UserName=name, Password="Pa55word!")
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    iam.update_login_profile(UserName=name, PasswordResetRequired=False)
    assert iam.get_login_profile(UserName=name)["LoginProfile"]["PasswordResetRequired"] is False
    iam.delete_login_profile(UserName=name)
    with pytest.raises(ClientError) as e:
        iam.get_login_profile(UserName=name)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"Login Profile for User {name} cannot be found."


# Access keys


def test_access_keys_limit_status_and_listing(iam):
    name = unique("keys")
    iam.create_user(UserName=name)
    first = iam.create_access_key(UserName=name)["AccessKey"]
    assert first["AccessKeyId"].startswith("AKIA") and len(first["AccessKeyId"]) == 20
    assert len(first["SecretAccessKey"]) == 40 and first["Status"] == "Active" and first["UserName"] == name
    second = iam.create_access_key(UserName=name)["AccessKey"]
    with pytest.raises(ClientError) as e:
        iam.create_access_key(UserName=name)
    assert error_of(e)["Code"] == "LimitExceeded" and status_of(e) == 409
    assert error_of(e)["Message"] == "Cannot exceed quota for AccessKeysPerUser: 2"
    listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert sorted(k["AccessKeyId"] for k in listed) == sorted([first["AccessKeyId"], second["AccessKeyId"]])
    assert all("SecretAccessKey" not in k for k in listed)
    iam.update_access_key(UserName=name, AccessKeyId=first["AccessKeyId"], Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]}
    assert statuses[first["AccessKeyId"]] == "Inactive"
    used = iam.get_access_key_last_used(AccessKeyId=first["AccessKeyId"])
    assert used["UserName"] == name and used["AccessKeyLastUsed"]["ServiceName"] == "N/A"
    with pytest.raises(ClientError) as e:
        iam.delete_access_key(UserName=name, AccessKeyId="AKIAIOSFODNN7EXAMPLE")
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."
    with pytest.raises(ClientError) as e:
        iam.list_access_keys(UserName="ghost-" + name)
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_new_access_key_is_at_once_a_credential_and_stops_after_delete(server, iam):
    name = unique("dev")
    user = iam.create_user(UserName=name, Path="/team/")["User"]
    key = iam.create_access_key(UserName=name)["AccessKey"]
    as_user = server.client("sts", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    who = as_user.get_caller_identity()
    assert who["Arn"] == user["Arn"] and who["UserId"] == user["UserId"] and who["Account"] == ACCOUNT
    # The calling user is the default of the user-scoped operations.
    user_iam = server.client("iam", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    assert user_iam.get_user()["User"]["UserName"] == name
    assert [k["AccessKeyId"] for k in user_iam.list_access_keys()["AccessKeyMetadata"]] == [key["AccessKeyId"]]

    # Deactivated, it is no credential; activated again, it is.
    iam.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert as_user.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    iam.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Active")
    assert as_user.get_caller_identity()["Arn"] == user["Arn"]

    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    # Signatures are not verified by default: an unknown key is the default account.
    assert as_user.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"


def test_access_keys_under_verified_signatures(make_server):
    s = make_server(["--verify-signatures"])
    iam = s.client("iam")
    iam.create_user(UserName="signer")
    key = iam.create_access_key(UserName="signer")["AccessKey"]
    as_user = s.client("sts", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    assert as_user.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:user/signer"
    with pytest.raises(ClientError) as e:
        s.client("sts", access_key=key["AccessKeyId"], secret_key="wrong").get_caller_identity()
    assert error_of(e)["Code"] == "SignatureDoesNotMatch"
    iam.delete_access_key(UserName="signer", AccessKeyId=key["AccessKeyId"])
    with pytest.raises(ClientError) as e:
        as_user.get_caller_identity()
    assert error_of(e)["Code"] == "InvalidClientTokenId"


def test_access_key_of_renamed_user_signs_as_new_arn(server, iam):
    name = unique("mover")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    iam.update_user(UserName=name, NewUserName=name + "-2")
    who = server.client("sts", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"]).get_caller_identity()
    assert who["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{name}-2"
    assert iam.list_access_keys(UserName=name + "-2")["AccessKeyMetadata"][0]["UserName"] == name + "-2"


# Groups


def test_groups_and_membership(iam):
    group, user = unique("admins"), unique("member")
    created = iam.create_group(GroupName=group, Path="/ops/")["Group"]
    assert created["GroupId"].startswith("AGPA")
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/ops/{group}"
    with pytest.raises(ClientError) as e:
        iam.create_group(GroupName=group)
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    iam.create_user(UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)  # idempotent
    got = iam.get_group(GroupName=group)
    assert got["Group"]["GroupName"] == group and [u["UserName"] for u in got["Users"]] == [user]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=user)["Groups"]] == [group]
    assert group in [g["GroupName"] for g in iam.list_groups(PathPrefix="/ops/")["Groups"]]
    with pytest.raises(ClientError) as e:
        iam.delete_group(GroupName=group)
    assert error_of(e)["Code"] == "DeleteConflict"
    assert error_of(e)["Message"] == "Cannot delete entity, must remove users from group first."
    iam.update_group(GroupName=group, NewGroupName=group + "-x")
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=user)["Groups"]] == [group + "-x"]
    iam.remove_user_from_group(GroupName=group + "-x", UserName=user)
    with pytest.raises(ClientError) as e:
        iam.remove_user_from_group(GroupName=group + "-x", UserName=user)
    assert error_of(e)["Code"] == "NoSuchEntity"
    iam.delete_group(GroupName=group + "-x")
    with pytest.raises(ClientError) as e:
        iam.get_group(GroupName=group + "-x")
    assert error_of(e)["Message"] == f"The group with name {group}-x cannot be found."
    with pytest.raises(ClientError) as e:
        iam.add_user_to_group(GroupName=group + "-x", UserName=user)
    assert error_of(e)["Code"] == "NoSuchEntity"


# Roles


def test_role_lifecycle(iam):
    name = unique("app")
    role = iam.create_role(RoleName=name, Path="/svc/", AssumeRolePolicyDocument=TRUST,
                           Description="app role", MaxSessionDuration=7200,
                           Tags=[{"Key": "env", "Value": "dev"}])["Role"]
    assert role["RoleId"].startswith("AROA") and role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/svc/{name}"
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)  # boto3 decodes IAM's URL-encoding
    assert role["MaxSessionDuration"] == 7200
    got = iam.get_role(RoleName=name)["Role"]
    assert got["Description"] == "app role" and got["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert got["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert name in [r["RoleName"] for r in iam.list_roles(PathPrefix="/svc/")["Roles"]]
    assert name not in [r["RoleName"] for r in iam.list_roles(PathPrefix="/other/")["Roles"]]
    iam.update_role(RoleName=name, MaxSessionDuration=43200, Description="changed")
    got = iam.get_role(RoleName=name)["Role"]
    assert got["MaxSessionDuration"] == 43200 and got["Description"] == "changed"
    trust2 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                                                      "Action": "sts:AssumeRole",
                                                      "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]}
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust2))
    assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == trust2
    assert iam.update_role_description(RoleName=name, Description="d3")["Role"]["Description"] == "d3"
    iam.tag_role(RoleName=name, Tags=[{"Key": "owner", "Value": "me"}])
    iam.untag_role(RoleName=name, TagKeys=["env"])
    assert iam.list_role_tags(RoleName=name)["Tags"] == [{"Key": "owner", "Value": "me"}]
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    assert error_of(e)["Message"] == f"Role with name {name} already exists."
    iam.delete_role(RoleName=name)
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName=name)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"The role with name {name} cannot be found."


def test_role_validation(iam, server):
    raw = server.client("iam", parameter_validation=False)
    with pytest.raises(ClientError) as e:
        raw.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=TRUST, MaxSessionDuration=100)
    assert error_of(e)["Code"] == "ValidationError"
    assert "Member must have value greater than or equal to 3600" in error_of(e)["Message"]
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument="{nope")
    assert error_of(e)["Code"] == "MalformedPolicyDocument"
    with_resource = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=json.dumps(with_resource))
    assert error_of(e)["Message"] == "Has prohibited field Resource"
    no_principal = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=json.dumps(no_principal))
    assert error_of(e)["Message"] == "Missing required field Principal"
    with pytest.raises(ClientError) as e:
        iam.update_role(RoleName=unique("missing"), Description="x")
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_delete_role_conflicts(iam):
    name, profile = unique("busy-role"), unique("ip")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName=profile)
    iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=name)
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must remove roles from instance profile first."
    iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=name)
    iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must detach all policies first."
    iam.detach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps(POLICY))
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName=name)
    assert error_of(e)["Message"] == "Cannot delete entity, must delete policies first."
    iam.delete_role_policy(RoleName=name, PolicyName="inline")
    iam.delete_role(RoleName=name)


# Managed policies


def test_managed_policy_and_versions(iam):
    name = unique("read")
    policy = iam.create_policy(PolicyName=name, Path="/app/", PolicyDocument=json.dumps(POLICY),
                               Description="reads", Tags=[{"Key": "k", "Value": "v"}])["Policy"]
    arn = policy["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/app/{name}"
    assert policy["PolicyId"].startswith("ANPA") and policy["DefaultVersionId"] == "v1"
    assert policy["AttachmentCount"] == 0 and policy["IsAttachable"] is True
    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(POLICY))
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    assert error_of(e)["Message"] == f"A policy called {name} already exists. Duplicate names are not allowed."
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Description"] == "reads"
    v1 = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert v1["Document"] == POLICY and v1["IsDefaultVersion"] is True

    doc2 = {**POLICY, "Statement": [{**POLICY["Statement"][0], "Action": ["s3:GetObject", "s3:ListBucket"]}]}
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(doc2), SetAsDefault=True)["PolicyVersion"]
    assert v2["VersionId"] == "v2" and v2["IsDefaultVersion"] is True
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    for _ in range(3):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(POLICY))
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(POLICY))
    assert error_of(e)["Code"] == "LimitExceeded"
    assert error_of(e)["Message"].startswith("A managed policy can have up to 5 versions.")
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"]
    assert [v["IsDefaultVersion"] for v in versions] == [False, False, False, True, False]

    with pytest.raises(ClientError) as e:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    assert error_of(e)["Code"] == "DeleteConflict"
    assert error_of(e)["Message"] == "Cannot delete the default version of a policy."
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    with pytest.raises(ClientError) as e:
        iam.get_policy_version(PolicyArn=arn, VersionId="v2")
    assert error_of(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.set_default_policy_version(PolicyArn=arn, VersionId="v9")
    assert error_of(e)["Code"] == "NoSuchEntity"
    # A new version after a deletion never reuses an id.
    assert iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(POLICY))["PolicyVersion"]["VersionId"] == "v6"

    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert error_of(e)["Code"] == "DeleteConflict"
    for v in ["v1", "v3", "v4", "v6"]:
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=arn)
    assert error_of(e)["Code"] == "NoSuchEntity" and error_of(e)["Message"] == f"Policy {arn} was not found."


def test_policy_tags(iam):
    arn = iam.create_policy(PolicyName=unique("tp"), PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "a", "Value": "1"}]
    iam.untag_policy(PolicyArn=arn, TagKeys=["a"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == []


@pytest.mark.parametrize("document,message", [
    ("not json", "This policy contains invalid Json"),
    ("[]", "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17"}), "Syntax errors in policy."),
    (json.dumps({**POLICY, "Version": "2020-01-01"}), "The policy failed legacy parsing"),
    # auth::Policy's wording: the one validator IAM and the policy evaluation share.
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}),
     "The policy failed legacy parsing"),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}),
     "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}),
     "Policy statement must contain actions."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}),
     "Policy statement must contain resources."),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"}]}),
     "Policy document should not specify a principal."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "getobject", "Resource": "*"}]}),
     "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"}]}),
     'Resource bucket must be in ARN format or "*".'),
])
def test_malformed_policy_documents(iam, document, message):
    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName=unique("bad"), PolicyDocument=document)
    assert error_of(e)["Code"] == "MalformedPolicyDocument"
    assert error_of(e)["Message"] == message


def test_policy_size_limit(iam):
    big = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": f"s3:GetObject{i}", "Resource": f"arn:aws:s3:::bucket-{i:05d}/*"} for i in range(120)]}
    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName=unique("big"), PolicyDocument=json.dumps(big))
    assert error_of(e)["Code"] == "LimitExceeded"
    assert error_of(e)["Message"] == "Cannot exceed quota for PolicySize: 6144"


def test_list_policies_scopes_and_only_attached(account_iam):
    arn = account_iam.create_policy(PolicyName="mine", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    local = account_iam.list_policies(Scope="Local")["Policies"]
    assert [p["Arn"] for p in local] == [arn]
    aws = account_iam.list_policies(Scope="AWS")["Policies"]
    assert "arn:aws:iam::aws:policy/AdministratorAccess" in [p["Arn"] for p in aws]
    assert arn not in [p["Arn"] for p in aws]
    assert account_iam.list_policies(OnlyAttached=True)["Policies"] == []
    account_iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    account_iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    account_iam.attach_role_policy(RoleName="r", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    attached = account_iam.list_policies(OnlyAttached=True)["Policies"]
    assert sorted(p["PolicyName"] for p in attached) == ["AdministratorAccess", "mine"]
    assert all(p["AttachmentCount"] == 1 for p in attached)
    pages = list(account_iam.get_paginator("list_policies").paginate(Scope="AWS", PaginationConfig={"PageSize": 7}))
    assert len(pages) > 1 and sum(len(p["Policies"]) for p in pages) == len(aws)


# Attachments


def test_attach_detach_and_entities_for_policy(account_iam):
    iam = account_iam
    arn = iam.create_policy(PolicyName="shared", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    iam.attach_user_policy(UserName="u", PolicyArn=arn)  # idempotent
    iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 3
    assert iam.list_attached_user_policies(UserName="u")["AttachedPolicies"] == [{"PolicyName": "shared", "PolicyArn": arn}]
    assert iam.list_attached_group_policies(GroupName="g")["AttachedPolicies"][0]["PolicyArn"] == arn
    assert iam.list_attached_role_policies(RoleName="r")["AttachedPolicies"][0]["PolicyArn"] == arn
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["u"]
    assert [g["GroupName"] for g in entities["PolicyGroups"]] == ["g"]
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["r"]
    assert entities["PolicyRoles"][0]["RoleId"].startswith("AROA")
    only_roles = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")
    assert only_roles["PolicyUsers"] == [] and len(only_roles["PolicyRoles"]) == 1
    page = iam.list_entities_for_policy(PolicyArn=arn, MaxItems=2)
    assert page["IsTruncated"]
    rest = iam.list_entities_for_policy(PolicyArn=arn, Marker=page["Marker"])
    total = sum(len(page[k]) + len(rest[k]) for k in ("PolicyUsers", "PolicyGroups", "PolicyRoles"))
    assert total == 3

    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert error_of(e)["Code"] == "DeleteConflict"
    assert error_of(e)["Message"] == "Cannot delete a policy attached to entities."
    iam.detach_user_policy(UserName="u", PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.detach_user_policy(UserName="u", PolicyArn=arn)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"Policy {arn} was not found."
    missing = f"arn:aws:iam::{iam.get_user(UserName='u')['User']['Arn'].split(':')[4]}:policy/missing"
    with pytest.raises(ClientError) as e:
        iam.attach_user_policy(UserName="u", PolicyArn=missing)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"Policy {missing} does not exist or is not attachable."
    with pytest.raises(ClientError) as e:
        iam.attach_user_policy(UserName="u", PolicyArn="arn:aws:iam::aws:policy/NoSuchManagedPolicy")
    assert error_of(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.attach_role_policy(RoleName="nobody", PolicyArn=arn)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == "The role with name nobody cannot be found."


def test_attached_policy_quota(account_iam):
    account_iam.create_user(UserName="many")
    arns = [account_iam.create_policy(PolicyName=f"p{i}", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
            for i in range(11)]
    for arn in arns[:10]:
        account_iam.attach_user_policy(UserName="many", PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        account_iam.attach_user_policy(UserName="many", PolicyArn=arns[10])
    assert error_of(e)["Code"] == "LimitExceeded"
    assert error_of(e)["Message"] == "Cannot exceed quota for PoliciesPerUser: 10"


# Inline policies


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_inline_policies(account_iam, kind):
    iam = account_iam
    entity = {"user": "UserName", "group": "GroupName", "role": "RoleName"}[kind]
    cap = kind.capitalize()
    if kind == "role":
        iam.create_role(RoleName="e", AssumeRolePolicyDocument=TRUST)
    else:
        getattr(iam, f"create_{kind}")(**{entity: "e"})
    put = getattr(iam, f"put_{kind}_policy")
    put(**{entity: "e"}, PolicyName="one", PolicyDocument=json.dumps(POLICY))
    put(**{entity: "e"}, PolicyName="two", PolicyDocument=json.dumps(POLICY))
    got = getattr(iam, f"get_{kind}_policy")(**{entity: "e"}, PolicyName="one")
    assert got[entity] == "e" and got["PolicyName"] == "one" and got["PolicyDocument"] == POLICY
    listed = getattr(iam, f"list_{kind}_policies")(**{entity: "e"})
    assert listed["PolicyNames"] == ["one", "two"] and listed["IsTruncated"] is False
    page = getattr(iam, f"list_{kind}_policies")(**{entity: "e"}, MaxItems=1)
    assert page["PolicyNames"] == ["one"] and page["IsTruncated"]
    getattr(iam, f"delete_{kind}_policy")(**{entity: "e"}, PolicyName="one")
    with pytest.raises(ClientError) as e:
        getattr(iam, f"get_{kind}_policy")(**{entity: "e"}, PolicyName="one")
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"The {kind} policy with name one cannot be found."
    with pytest.raises(ClientError) as e:
        put(**{entity: "e"}, PolicyName="bad", PolicyDocument='{"Statement": []}')
    assert error_of(e)["Code"] == "MalformedPolicyDocument"
    with pytest.raises(ClientError) as e:
        put(**{entity: "missing"}, PolicyName="p", PolicyDocument=json.dumps(POLICY))
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"The {kind} with name missing cannot be found."


def test_inline_policy_size_limit(account_iam):
    account_iam.create_user(UserName="big")
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b-{i:04d}/*"} for i in range(60)]}
    with pytest.raises(ClientError) as e:
        account_iam.put_user_policy(UserName="big", PolicyName="p", PolicyDocument=json.dumps(doc))
    assert error_of(e)["Code"] == "LimitExceeded"
    assert error_of(e)["Message"] == "Maximum policy size of 2048 bytes exceeded for user big"


# Permissions boundaries


def test_permissions_boundary(account_iam):
    iam = account_iam
    arn = iam.create_policy(PolicyName="boundary", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    user = iam.create_user(UserName="bounded", PermissionsBoundary=arn)["User"]
    assert user["PermissionsBoundary"] == {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.put_role_permissions_boundary(RoleName="r", PermissionsBoundary=arn)
    assert iam.get_role(RoleName="r")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 2
    iam.delete_role_permissions_boundary(RoleName="r")
    iam.delete_user_permissions_boundary(UserName="bounded")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bounded")["User"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 0
    with pytest.raises(ClientError) as e:
        iam.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=arn + "-nope")
    assert error_of(e)["Code"] == "NoSuchEntity"


# Instance profiles


def test_instance_profiles(account_iam):
    iam = account_iam
    iam.create_role(RoleName="web", AssumeRolePolicyDocument=TRUST)
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=TRUST)
    profile = iam.create_instance_profile(InstanceProfileName="web-ip", Path="/ec2/")["InstanceProfile"]
    assert profile["InstanceProfileId"].startswith("AIPA") and profile["Roles"] == []
    assert profile["Arn"].endswith(":instance-profile/ec2/web-ip")
    with pytest.raises(ClientError) as e:
        iam.create_instance_profile(InstanceProfileName="web-ip")
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    assert error_of(e)["Message"] == "Instance Profile web-ip already exists."
    iam.add_role_to_instance_profile(InstanceProfileName="web-ip", RoleName="web")
    with pytest.raises(ClientError) as e:
        iam.add_role_to_instance_profile(InstanceProfileName="web-ip", RoleName="other")
    assert error_of(e)["Code"] == "LimitExceeded"
    assert error_of(e)["Message"] == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"
    got = iam.get_instance_profile(InstanceProfileName="web-ip")["InstanceProfile"]
    assert [r["RoleName"] for r in got["Roles"]] == ["web"]
    assert got["Roles"][0]["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles_for_role(RoleName="web")["InstanceProfiles"]] == ["web-ip"]
    assert iam.list_instance_profiles_for_role(RoleName="other")["InstanceProfiles"] == []
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles(PathPrefix="/ec2/")["InstanceProfiles"]] == ["web-ip"]
    with pytest.raises(ClientError) as e:
        iam.delete_instance_profile(InstanceProfileName="web-ip")
    assert error_of(e)["Code"] == "DeleteConflict"
    iam.tag_instance_profile(InstanceProfileName="web-ip", Tags=[{"Key": "a", "Value": "b"}])
    assert iam.list_instance_profile_tags(InstanceProfileName="web-ip")["Tags"] == [{"Key": "a", "Value": "b"}]
    iam.untag_instance_profile(InstanceProfileName="web-ip", TagKeys=["a"])
    iam.remove_role_from_instance_profile(InstanceProfileName="web-ip", RoleName="web")
    iam.delete_instance_profile(InstanceProfileName="web-ip")
    with pytest.raises(ClientError) as e:
        iam.get_instance_profile(InstanceProfileName="web-ip")
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == "Instance Profile web-ip cannot be found."


# The account


def test_account_alias(server):
    a = server.client("iam", access_key="210987654321")
    b = server.client("iam", access_key="210987654322")
    alias = unique("corp")
    a.create_account_alias(AccountAlias=alias)
    assert a.list_account_aliases()["AccountAliases"] == [alias]
    with pytest.raises(ClientError) as e:
        b.create_account_alias(AccountAlias=alias)
    assert error_of(e)["Code"] == "EntityAlreadyExists"
    a.create_account_alias(AccountAlias=alias + "-2")  # replaces the old one
    assert a.list_account_aliases()["AccountAliases"] == [alias + "-2"]
    b.create_account_alias(AccountAlias=alias)  # freed
    with pytest.raises(ClientError) as e:
        a.delete_account_alias(AccountAlias=alias)
    assert error_of(e)["Code"] == "NoSuchEntity"
    a.delete_account_alias(AccountAlias=alias + "-2")
    b.delete_account_alias(AccountAlias=alias)
    assert a.list_account_aliases()["AccountAliases"] == []


def test_password_policy(account_iam):
    with pytest.raises(ClientError) as e:
        account_iam.get_account_password_policy()
    assert error_of(e)["Code"] == "NoSuchEntity"
    account_iam.update_account_password_policy(MinimumPasswordLength=12, RequireSymbols=True, MaxPasswordAge=90)
    policy = account_iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 12 and policy["RequireSymbols"] is True
    assert policy["ExpirePasswords"] is True and policy["MaxPasswordAge"] == 90
    account_iam.delete_account_password_policy()
    with pytest.raises(ClientError) as e:
        account_iam.delete_account_password_policy()
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_account_summary(account_iam):
    account_iam.create_user(UserName="s1")
    account_iam.create_role(RoleName="r1", AssumeRolePolicyDocument=TRUST)
    account_iam.create_policy(PolicyName="p1", PolicyDocument=json.dumps(POLICY))
    summary = account_iam.get_account_summary()["SummaryMap"]
    assert summary["Users"] == 1 and summary["Roles"] == 1 and summary["Policies"] == 1
    assert summary["Groups"] == 0 and summary["AccessKeysPerUserQuota"] == 2


def test_state_is_per_account(server, account_iam):
    account_iam.create_user(UserName="only-here")
    with pytest.raises(ClientError):
        server.client("iam", access_key="999988887777").get_user(UserName="only-here")


def test_cli_create_user_and_policy(server):
    name = unique("cli")
    out = server.cli("iam", "create-user", "--user-name", name)
    assert json.loads(out.stdout)["User"]["UserName"] == name
    out = server.cli("iam", "put-user-policy", "--user-name", name, "--policy-name", "p",
                     "--policy-document", json.dumps(POLICY))
    out = server.cli("iam", "get-user-policy", "--user-name", name, "--policy-name", "p")
    assert json.loads(out.stdout)["PolicyDocument"] == POLICY
