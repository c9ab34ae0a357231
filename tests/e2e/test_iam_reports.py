"""What IAM reports about an account through boto3: ChangePassword,
GetAccountAuthorizationDetails, the credential report, the condition keys
of policies, which policies grant a service, service-last-accessed jobs,
and the STS token preference."""
import csv
import io
import json
import urllib.parse
import uuid

import pytest
from botocore.exceptions import ClientError
from aws_helpers import error_of

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
S3_READ = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*",
    "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}, "Bool": {"aws:SecureTransport": "true"}}}]})
EC2_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "ec2:*", "Resource": "*",
    "Condition": {"StringLike": {"ec2:ResourceTag/team": "web"}}}]})


@pytest.fixture
def iam(server):
    account = str(uuid.uuid4().int)[:12].rjust(12, "1")
    client = server.client("iam", access_key=account)
    client.account = account
    return client


def user_client(server, iam, user):
    key = iam.create_access_key(UserName=user)["AccessKey"]
    return server.client("iam", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])


# ChangePassword


def test_change_password(server, iam):
    iam.create_user(UserName="walter")
    me = user_client(server, iam, "walter")
    with pytest.raises(ClientError) as e:
        me.change_password(OldPassword="x", NewPassword="Whatever-123")
    assert error_of(e)["Code"] == "NoSuchEntity"
    iam.create_login_profile(UserName="walter", Password="First-Pass-1", PasswordResetRequired=True)
    with pytest.raises(ClientError) as e:
        me.change_password(OldPassword="wrong", NewPassword="Second-Pass-2")
    assert error_of(e)["Code"] == "AccessDenied"
    me.change_password(OldPassword="First-Pass-1", NewPassword="Second-Pass-2")
    assert iam.get_login_profile(UserName="walter")["LoginProfile"]["PasswordResetRequired"] is False

    iam.update_account_password_policy(MinimumPasswordLength=14, RequireNumbers=True)
    with pytest.raises(ClientError) as e:
        me.change_password(OldPassword="Second-Pass-2", NewPassword="short-1")
    assert error_of(e)["Code"] == "PasswordPolicyViolation"
    assert error_of(e)["Message"] == "Password should have a minimum length of 14"
    with pytest.raises(ClientError) as e:
        me.change_password(OldPassword="Second-Pass-2", NewPassword="long-but-no-numbers")
    assert error_of(e)["Message"] == "Password should have at least one number"
    me.change_password(OldPassword="Second-Pass-2", NewPassword="long-and-numbered-3")


def test_change_password_is_for_users_only(iam):
    with pytest.raises(ClientError) as e:
        iam.change_password(OldPassword="a", NewPassword="b")
    assert error_of(e)["Code"] == "InvalidUserType"


def test_login_profile_password_follows_the_policy(iam):
    iam.create_user(UserName="pat")
    with pytest.raises(ClientError) as e:
        iam.create_login_profile(UserName="pat", Password="abc")
    assert error_of(e)["Code"] == "PasswordPolicyViolation"


# GetAccountAuthorizationDetails


def test_account_authorization_details(iam):
    policy_arn = iam.create_policy(PolicyName="s3-read", PolicyDocument=S3_READ)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=policy_arn, PolicyDocument=EC2_ALL, SetAsDefault=True)
    iam.create_group(GroupName="devs")
    iam.put_group_policy(GroupName="devs", PolicyName="ec2", PolicyDocument=EC2_ALL)
    iam.create_user(UserName="ann", Tags=[{"Key": "team", "Value": "web"}])
    iam.add_user_to_group(GroupName="devs", UserName="ann")
    iam.attach_user_policy(UserName="ann", PolicyArn=policy_arn)
    iam.put_user_policy(UserName="ann", PolicyName="inline", PolicyDocument=S3_READ)
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.create_instance_profile(InstanceProfileName="app-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="app-profile", RoleName="app")

    details = iam.get_account_authorization_details()
    assert details["IsTruncated"] is False
    [user] = details["UserDetailList"]
    assert user["UserName"] == "ann" and user["GroupList"] == ["devs"]
    assert user["AttachedManagedPolicies"] == [{"PolicyName": "s3-read", "PolicyArn": policy_arn}]
    assert user["UserPolicyList"][0]["PolicyName"] == "inline"
    # boto3 decodes the URL-encoded documents back into dicts.
    assert user["UserPolicyList"][0]["PolicyDocument"] == json.loads(S3_READ)
    assert user["Tags"] == [{"Key": "team", "Value": "web"}]
    [group] = details["GroupDetailList"]
    assert group["GroupName"] == "devs" and group["GroupPolicyList"][0]["PolicyDocument"] == json.loads(EC2_ALL)
    [role] = details["RoleDetailList"]
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert role["InstanceProfileList"][0]["InstanceProfileName"] == "app-profile"
    assert role["InstanceProfileList"][0]["Roles"][0]["RoleName"] == "app"
    assert role["AttachedManagedPolicies"][0]["PolicyArn"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    by_arn = {p["Arn"]: p for p in details["Policies"]}
    assert set(by_arn) == {policy_arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"}
    local = by_arn[policy_arn]
    assert local["DefaultVersionId"] == "v2" and local["AttachmentCount"] == 1
    versions = {v["VersionId"]: v for v in local["PolicyVersionList"]}
    assert versions["v2"]["IsDefaultVersion"] is True and versions["v1"]["IsDefaultVersion"] is False
    assert versions["v1"]["Document"] == json.loads(S3_READ)

    only_roles = iam.get_account_authorization_details(Filter=["Role"])
    assert only_roles["UserDetailList"] == [] and len(only_roles["RoleDetailList"]) == 1
    assert only_roles["Policies"] == []
    local_only = iam.get_account_authorization_details(Filter=["LocalManagedPolicy"])
    assert [p["Arn"] for p in local_only["Policies"]] == [policy_arn]


def test_account_authorization_details_paginate(iam):
    for i in range(3):
        iam.create_user(UserName=f"u{i}")
        iam.create_role(RoleName=f"r{i}", AssumeRolePolicyDocument=TRUST)
    first = iam.get_account_authorization_details(MaxItems=4)
    assert first["IsTruncated"] is True
    assert len(first["UserDetailList"]) + len(first["RoleDetailList"]) == 4
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 2}))
    assert sorted(u["UserName"] for p in pages for u in p["UserDetailList"]) == ["u0", "u1", "u2"]
    assert sorted(r["RoleName"] for p in pages for r in p["RoleDetailList"]) == ["r0", "r1", "r2"]


# Credential report


def test_credential_report(iam):
    with pytest.raises(ClientError) as e:
        iam.get_credential_report()
    assert error_of(e)["Code"] == "ReportNotPresent"
    iam.create_user(UserName="reported")
    iam.create_login_profile(UserName="reported", Password="Pass-word-123")
    iam.create_access_key(UserName="reported")
    iam.create_user(UserName="quiet")
    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv" and "GeneratedTime" in report
    rows = list(csv.DictReader(io.StringIO(report["Content"].decode())))
    assert list(rows[0].keys())[:8] == ["user", "arn", "user_creation_time", "password_enabled",
                                        "password_last_used", "password_last_changed", "password_next_rotation",
                                        "mfa_active"]
    assert len(rows[0]) == 22
    assert rows[0]["user"] == "<root_account>" and rows[0]["arn"] == f"arn:aws:iam::{iam.account}:root"
    by_user = {r["user"]: r for r in rows}
    assert by_user["reported"]["password_enabled"] == "true"
    assert by_user["reported"]["access_key_1_active"] == "true"
    assert by_user["reported"]["access_key_2_active"] == "false"
    assert by_user["reported"]["arn"] == f"arn:aws:iam::{iam.account}:user/reported"
    assert by_user["quiet"]["password_enabled"] == "false" and by_user["quiet"]["password_last_changed"] == "N/A"
    assert by_user["quiet"]["user_creation_time"].endswith("+00:00")


# Context keys


def test_context_keys_for_custom_policy(iam):
    keys = iam.get_context_keys_for_custom_policy(PolicyInputList=[S3_READ, EC2_ALL])["ContextKeyNames"]
    assert sorted(keys) == ["aws:RequestedRegion", "aws:SecureTransport", "ec2:ResourceTag/team"]
    with pytest.raises(ClientError) as e:
        iam.get_context_keys_for_custom_policy(PolicyInputList=["{not json"])
    assert error_of(e)["Code"] == "InvalidInput"


def test_context_keys_for_principal_policy(iam):
    iam.create_group(GroupName="g")
    iam.put_group_policy(GroupName="g", PolicyName="ec2", PolicyDocument=EC2_ALL)
    arn = iam.create_user(UserName="keyed")["User"]["Arn"]
    iam.add_user_to_group(GroupName="g", UserName="keyed")
    iam.put_user_policy(UserName="keyed", PolicyName="s3", PolicyDocument=S3_READ)
    extra = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                                                                  "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]})
    keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=arn, PolicyInputList=[extra])["ContextKeyNames"]
    assert sorted(keys) == ["aws:RequestedRegion", "aws:SecureTransport", "aws:SourceIp", "ec2:ResourceTag/team"]
    with pytest.raises(ClientError) as e:
        iam.get_context_keys_for_principal_policy(PolicySourceArn=f"arn:aws:iam::{iam.account}:user/ghost")
    assert error_of(e)["Code"] == "NoSuchEntity"


# Which policies grant a service, and when it was last accessed


def test_list_policies_granting_service_access(iam):
    policy_arn = iam.create_policy(PolicyName="s3-read", PolicyDocument=S3_READ)["Policy"]["Arn"]
    iam.create_group(GroupName="ops")
    iam.put_group_policy(GroupName="ops", PolicyName="ec2", PolicyDocument=EC2_ALL)
    arn = iam.create_user(UserName="grantee")["User"]["Arn"]
    iam.add_user_to_group(GroupName="ops", UserName="grantee")
    iam.attach_user_policy(UserName="grantee", PolicyArn=policy_arn)
    out = iam.list_policies_granting_service_access(Arn=arn, ServiceNamespaces=["s3", "ec2", "iam"])
    by_ns = {e["ServiceNamespace"]: e["Policies"] for e in out["PoliciesGrantingServiceAccess"]}
    assert by_ns["s3"] == [{"PolicyName": "s3-read", "PolicyType": "MANAGED", "PolicyArn": policy_arn}]
    assert by_ns["ec2"] == [{"PolicyName": "ec2", "PolicyType": "INLINE", "EntityType": "group", "EntityName": "ops"}]
    assert by_ns["iam"] == []
    with pytest.raises(ClientError) as e:
        iam.list_policies_granting_service_access(Arn=f"arn:aws:iam::{iam.account}:role/ghost",
                                                  ServiceNamespaces=["s3"])
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_service_last_accessed_details(iam):
    iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(RoleName="worker", PolicyName="both", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sqs:SendMessage"],
                                                "Resource": "*"}]}))
    arn = iam.get_role(RoleName="worker")["Role"]["Arn"]
    job = iam.generate_service_last_accessed_details(Arn=arn)["JobId"]
    details = iam.get_service_last_accessed_details(JobId=job)
    assert details["JobStatus"] == "COMPLETED" and details["JobType"] == "SERVICE_LEVEL"
    assert [s["ServiceNamespace"] for s in details["ServicesLastAccessed"]] == ["s3", "sqs"]
    assert details["ServicesLastAccessed"][0]["ServiceName"] == "Amazon S3"
    assert all("LastAuthenticated" not in s for s in details["ServicesLastAccessed"])
    page = iam.get_service_last_accessed_details(JobId=job, MaxItems=1)
    assert page["IsTruncated"] is True and len(page["ServicesLastAccessed"]) == 1
    entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="s3")
    assert [e["EntityInfo"]["Name"] for e in entities["EntityDetailsList"]] == ["worker"]
    assert entities["EntityDetailsList"][0]["EntityInfo"]["Type"] == "ROLE"
    with pytest.raises(ClientError) as e:
        iam.get_service_last_accessed_details(JobId=str(uuid.uuid4()))
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_security_token_service_preferences(iam):
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2
