"""--enforce-iam in one account: identity policies (the user's, its groups',
managed and inline), explicit denies, conditions, permissions boundaries,
session policies, role trust policies, and AWS's AccessDenied messages."""
import json

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import Server
from aws_helpers import unique

ACCOUNT = "000000000000"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def denied(call, *args, **kwargs):
    with pytest.raises(ClientError) as excinfo:
        call(*args, **kwargs)
    error = excinfo.value.response["Error"]
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403, error
    assert error["Code"] == "AccessDenied", error
    return error["Message"]


@pytest.fixture(scope="module")
def enforced():
    s = Server(["--enforce-iam"]).start()
    yield s
    s.cleanup()


@pytest.fixture(scope="module")
def admin(enforced):
    """The account's root: allowed everything but SCPs."""
    return enforced.client("iam")


def new_user(enforced, admin, *policies, boundary=None, groups=()):
    name = unique("user")
    kwargs = {"PermissionsBoundary": boundary} if boundary else {}
    admin.create_user(UserName=name, **kwargs)
    for i, policy in enumerate(policies):
        admin.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=policy)
    for group in groups:
        admin.add_user_to_group(GroupName=group, UserName=name)
    key = admin.create_access_key(UserName=name)["AccessKey"]
    return name, lambda service, **kw: enforced.client(
        service, access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"], **kw)


def test_a_new_user_may_do_nothing_and_the_message_says_why(enforced, admin):
    name, client = new_user(enforced, admin)
    message = denied(client("iam").get_user, UserName=name)
    assert message == (f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: iam:GetUser "
                       f"on resource: arn:aws:iam::{ACCOUNT}:user/{name} because no identity-based policy "
                       f"allows the iam:GetUser action")


def test_caller_identity_needs_no_permission(enforced, admin):
    name, client = new_user(enforced, admin)
    assert client("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{name}"


def test_inline_policy_allows_exactly_what_it_names(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:GetUser", f"arn:aws:iam::{ACCOUNT}:user/{'${aws:username}'}")))
    iam = client("iam")
    assert iam.get_user(UserName=name)["User"]["UserName"] == name
    other = unique("other")
    admin.create_user(UserName=other)
    denied(iam.get_user, UserName=other)
    denied(iam.list_users)


def test_explicit_deny_wins_and_says_so(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:*")), doc(deny("iam:ListRoles")))
    iam = client("iam")
    iam.list_users()
    message = denied(iam.list_roles)
    assert "with an explicit deny in an identity-based policy" in message


def test_policy_changes_apply_to_the_next_request(enforced, admin):
    name, client = new_user(enforced, admin)
    iam = client("iam")
    denied(iam.list_groups)
    admin.put_user_policy(UserName=name, PolicyName="later", PolicyDocument=doc(allow("iam:ListGroups")))
    iam.list_groups()
    admin.delete_user_policy(UserName=name, PolicyName="later")
    denied(iam.list_groups)


def test_remembered_decisions_still_follow_each_request(enforced, admin):
    """A caller's decisions are remembered while its policies read nothing but
    the action, the resource and the caller; a condition anywhere ends that."""
    name, client = new_user(enforced, admin, doc(allow("iam:GetUser", f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}")))
    other = unique("other")
    admin.create_user(UserName=other)
    east, west = client("iam", region="us-east-1"), client("iam", region="eu-west-1")
    for _ in range(2):
        east.get_user(UserName=name)
        west.get_user(UserName=name)
        denied(east.get_user, UserName=other)
    admin.put_user_policy(UserName=name, PolicyName="not-west", PolicyDocument=doc(
        deny("iam:GetUser", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})))
    for _ in range(2):
        east.get_user(UserName=name)
        assert "with an explicit deny in an identity-based policy" in denied(west.get_user, UserName=name)
    admin.delete_user_policy(UserName=name, PolicyName="not-west")
    west.get_user(UserName=name)


def test_group_and_managed_policies_count(enforced, admin):
    group = unique("group")
    admin.create_group(GroupName=group)
    arn = admin.create_policy(PolicyName=unique("pol"), PolicyDocument=doc(allow("iam:ListGroups")))["Policy"]["Arn"]
    admin.attach_group_policy(GroupName=group, PolicyArn=arn)
    name, client = new_user(enforced, admin, groups=[group])
    client("iam").list_groups()
    # A new default version takes effect at once.
    admin.create_policy_version(PolicyArn=arn, PolicyDocument=doc(allow("iam:ListRoles")), SetAsDefault=True)
    denied(client("iam").list_groups)
    client("iam").list_roles()


def test_conditions_on_region_and_source_ip(enforced, admin):
    name, client = new_user(enforced, admin, doc(
        allow("iam:ListUsers", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}),
        allow("iam:ListGroups", Condition={"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}),
        allow("iam:ListRoles", Condition={"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}})))
    client("iam", region="eu-west-1").list_users()
    denied(client("iam", region="us-east-1").list_users)
    client("iam").list_groups()
    denied(client("iam").list_roles)


def test_permissions_boundary_limits_a_user(enforced, admin):
    boundary = admin.create_policy(PolicyName=unique("boundary"),
                                   PolicyDocument=doc(allow(["iam:ListUsers", "iam:ListRoles"])))["Policy"]["Arn"]
    name, client = new_user(enforced, admin, doc(allow("iam:*")), boundary=boundary)
    iam = client("iam")
    iam.list_users()
    message = denied(iam.list_groups)
    assert message.endswith("because no permissions boundary allows the iam:ListGroups action")
    # The boundary alone grants nothing.
    admin.delete_user_policy(UserName=name, PolicyName="p0")
    denied(iam.list_users)


def test_root_user_is_allowed(enforced, admin):
    assert admin.list_users()["Users"] is not None


def test_trust_policy_external_id_and_session_policy(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("sts:AssumeRole")))
    role = unique("role")
    role_arn = admin.create_role(RoleName=role, AssumeRolePolicyDocument=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/{name}"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "secret-42"}}}))["Role"]["Arn"]
    admin.put_role_policy(RoleName=role, PolicyName="read", PolicyDocument=doc(allow(["iam:Get*", "iam:List*"])))
    sts = client("sts")
    message = denied(sts.assume_role, RoleArn=role_arn, RoleSessionName="nope")
    assert message.startswith(f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: "
                              f"sts:AssumeRole on resource: {role_arn}")
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="ok", ExternalId="secret-42")["Credentials"]
    session = enforced.client("iam", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                              session_token=creds["SessionToken"])
    assert session.get_role(RoleName=role)["Role"]["Arn"] == role_arn
    denied(session.create_user, UserName=unique("x"))
    # A session policy narrows the session further.
    narrow = sts.assume_role(RoleArn=role_arn, RoleSessionName="narrow", ExternalId="secret-42",
                             Policy=doc(allow("iam:GetRole")))["Credentials"]
    session = enforced.client("iam", access_key=narrow["AccessKeyId"], secret_key=narrow["SecretAccessKey"],
                              session_token=narrow["SessionToken"])
    session.get_role(RoleName=role)
    assert "because no session policy allows" in denied(session.list_roles)


def test_a_role_that_does_not_exist_cannot_be_assumed(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("sts:AssumeRole")))
    arn = f"arn:aws:iam::{ACCOUNT}:role/{unique('missing')}"
    assert arn in denied(client("sts").assume_role, RoleArn=arn, RoleSessionName="probe")


def test_a_deleted_users_keys_stop_working(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:ListUsers")))
    client("iam").list_users()
    for key in admin.list_access_keys(UserName=name)["AccessKeyMetadata"]:
        admin.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    with pytest.raises(ClientError) as excinfo:
        client("iam").list_users()
    assert excinfo.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_unsigned_requests_are_refused(enforced):
    import urllib.request
    request = urllib.request.Request(enforced.endpoint + "/", data=b"Action=ListUsers&Version=2010-05-08",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request, timeout=5)
    assert excinfo.value.code == 403
    assert b"MissingAuthenticationToken" in excinfo.value.read()


def test_bad_policies_are_refused_and_change_nothing(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:ListUsers")))
    with pytest.raises(ClientError) as excinfo:
        admin.put_user_policy(UserName=name, PolicyName="p0", PolicyDocument='{"Version": "2012-10-17"}')
    assert excinfo.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    with pytest.raises(ClientError) as excinfo:
        admin.put_user_policy(UserName=name, PolicyName="p0", PolicyDocument=doc(allow("ListUsers")))
    assert excinfo.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    client("iam").list_users()


def test_resource_tags_of_users_and_roles_are_condition_keys(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:GetRole", Condition={
        "StringEquals": {"aws:ResourceTag/team": "core"}})))
    trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    ours, theirs = unique("ours"), unique("theirs")
    admin.create_role(RoleName=ours, AssumeRolePolicyDocument=trust, Tags=[{"Key": "team", "Value": "core"}])
    admin.create_role(RoleName=theirs, AssumeRolePolicyDocument=trust, Tags=[{"Key": "team", "Value": "web"}])
    iam = client("iam")
    assert iam.get_role(RoleName=ours)["Role"]["RoleName"] == ours
    denied(iam.get_role, RoleName=theirs)


def test_iam_resource_tag_is_a_condition_key_on_iam_entities(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:GetUser", Condition={
        "StringEquals": {"iam:ResourceTag/team": "core"}})))
    ours, theirs = unique("ours"), unique("theirs")
    admin.create_user(UserName=ours, Tags=[{"Key": "team", "Value": "core"}])
    admin.create_user(UserName=theirs, Tags=[{"Key": "team", "Value": "web"}])
    iam = client("iam")
    assert iam.get_user(UserName=ours)["User"]["UserName"] == ours
    denied(iam.get_user, UserName=theirs)


def test_request_tags_condition_on_create(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow("iam:CreateUser"), allow("iam:TagUser", Condition={
        "StringEquals": {"aws:RequestTag/env": "dev"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}})))
    iam = client("iam")
    iam.create_user(UserName=unique("tagged"))
    denied(iam.tag_user, UserName=name, Tags=[{"Key": "env", "Value": "prod"}])
    iam.tag_user(UserName=name, Tags=[{"Key": "env", "Value": "dev"}])
    denied(iam.tag_user, UserName=name, Tags=[{"Key": "owner", "Value": "dev"}])


def test_enforcement_with_the_in_memory_store():
    """The authorizer's snapshot gives way to a handler that writes (an
    in-memory store makes writers wait for readers)."""
    server = Server(["--ephemeral", "--enforce-iam"]).start()
    try:
        admin = server.client("iam")
        name, client = new_user(server, admin, doc(allow(["iam:GetUser", "iam:CreateUser", "iam:TagUser"])))
        iam = client("iam")
        assert iam.get_user(UserName=name)["User"]["UserName"] == name
        created = unique("made")
        iam.create_user(UserName=created)
        iam.tag_user(UserName=created, Tags=[{"Key": "k", "Value": "v"}])
        assert admin.list_user_tags(UserName=created)["Tags"] == [{"Key": "k", "Value": "v"}]
    finally:
        server.cleanup()


def test_federation_token_is_the_user_limited_by_its_session_policy(enforced, admin):
    name, client = new_user(enforced, admin, doc(allow(["sts:GetFederationToken", "iam:ListUsers", "iam:ListRoles"])))
    sts = client("sts")

    def federated(**kwargs):
        creds = sts.get_federation_token(Name="contractor", **kwargs)["Credentials"]
        return enforced.client("iam", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                               session_token=creds["SessionToken"])

    limited = federated(Policy=doc(allow(["iam:ListUsers", "iam:ListGroups"])))
    limited.list_users()
    assert "because no session policy allows" in denied(limited.list_roles)
    # ListGroups: the session policy allows it, the user's own policy does not.
    assert "because no identity-based policy allows" in denied(limited.list_groups)
    # Without a session policy, a federated user may do nothing.
    denied(federated().list_users)



def test_secure_transport_condition():
    """aws:SecureTransport is true over TLS and false over plain HTTP on the same port."""
    server = Server(["--enforce-iam"], tls=True).start()
    try:
        admin = server.client("iam")
        name = unique("tls")
        admin.create_user(UserName=name)
        admin.put_user_policy(UserName=name, PolicyName="tls-only", PolicyDocument=doc(
            allow("iam:ListUsers"), deny("*", Condition={"Bool": {"aws:SecureTransport": "false"}})))
        key = admin.create_access_key(UserName=name)["AccessKey"]
        over_tls = server.client("iam", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        over_tls.list_users()
        plain = boto3.client("iam", endpoint_url=server.endpoint.replace("https://", "http://"),
                             region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                             aws_secret_access_key=key["SecretAccessKey"],
                             config=botocore.config.Config(retries={"max_attempts": 1}))
        assert "with an explicit deny in an identity-based policy" in denied(plain.list_users)
    finally:
        server.cleanup()
