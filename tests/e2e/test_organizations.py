"""AWS Organizations through boto3: the organization, its tree of OUs, the
accounts it creates or invites (and the role it leaves in them), policies and
their attachments, handshakes, delegated administrators, tags, pagination.

Each test runs as a management account of its own, so organizations never
collide on the session's shared server."""
import json
import random

import pytest
from botocore.exceptions import ClientError

SCP_DENY_S3 = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})
SCP = "SERVICE_CONTROL_POLICY"


def new_account_id():
    return str(random.randint(100000000000, 999999999999))


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"]


def reason_of(excinfo):
    return excinfo.value.response.get("Reason")


class Org:
    """A management account with its organization."""

    def __init__(self, server, feature_set="ALL"):
        self.server = server
        self.account = new_account_id()
        self.client = server.client("organizations", access_key=self.account)
        self.org = self.client.create_organization(FeatureSet=feature_set)["Organization"]
        self.id = self.org["Id"]
        self.root = self.client.list_roots()["Roots"][0]["Id"]

    def client_for(self, account, service="organizations"):
        return self.server.client(service, access_key=account)

    def create_account(self, name="member", **kwargs):
        email = kwargs.pop("Email", f"{name}-{random.randint(0, 10**9)}@example.com")
        status = self.client.create_account(Email=email, AccountName=name, **kwargs)["CreateAccountStatus"]
        done = self.client.describe_create_account_status(CreateAccountRequestId=status["Id"])
        return done["CreateAccountStatus"]["AccountId"]

    def enable_scps(self):
        return self.client.enable_policy_type(RootId=self.root, PolicyType=SCP)["Root"]


@pytest.fixture
def org(server):
    return Org(server)


# The organization

def test_create_and_describe_organization(server):
    o = Org(server)
    org = o.org
    assert org["Id"].startswith("o-") and len(org["Id"]) == 12
    assert org["Arn"] == f"arn:aws:organizations::{o.account}:organization/{org['Id']}"
    assert org["FeatureSet"] == "ALL"
    assert org["MasterAccountId"] == o.account
    assert org["MasterAccountArn"] == f"arn:aws:organizations::{o.account}:account/{org['Id']}/{o.account}"
    assert "@" in org["MasterAccountEmail"]
    assert o.client.describe_organization()["Organization"] == org
    with pytest.raises(ClientError) as e:
        o.client.create_organization()
    assert code_of(e) == "AlreadyInOrganizationException"
    accounts = o.client.list_accounts()["Accounts"]
    assert [a["Id"] for a in accounts] == [o.account]
    assert accounts[0]["Status"] == "ACTIVE"


def test_accounts_outside_any_organization(server):
    client = server.client("organizations", access_key=new_account_id())
    for call in (client.describe_organization, client.list_accounts, client.list_roots):
        with pytest.raises(ClientError) as e:
            call()
        assert code_of(e) == "AWSOrganizationsNotInUseException"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_roots(org):
    root = org.client.list_roots()["Roots"][0]
    assert root["Id"].startswith("r-") and len(root["Id"]) == 6
    assert root["Arn"] == f"arn:aws:organizations::{org.account}:root/{org.id}/{root['Id']}"
    assert root["Name"] == "Root"
    assert root["PolicyTypes"] == []


def test_delete_organization(server):
    o = Org(server)
    member = o.create_account()
    with pytest.raises(ClientError) as e:
        o.client.delete_organization()
    assert code_of(e) == "OrganizationNotEmptyException"
    o.client.remove_account_from_organization(AccountId=member)
    o.client.delete_organization()
    with pytest.raises(ClientError) as e:
        o.client.describe_organization()
    assert code_of(e) == "AWSOrganizationsNotInUseException"
    # The account may start a new one.
    assert o.client.create_organization()["Organization"]["Id"] != o.id


# Organizational units

def test_organizational_units(org):
    c = org.client
    ou = c.create_organizational_unit(ParentId=org.root, Name="prod")["OrganizationalUnit"]
    assert ou["Id"].startswith(f"ou-{org.root[2:]}-")
    assert ou["Arn"] == f"arn:aws:organizations::{org.account}:ou/{org.id}/{ou['Id']}"
    assert ou["Name"] == "prod"
    with pytest.raises(ClientError) as e:
        c.create_organizational_unit(ParentId=org.root, Name="prod")
    assert code_of(e) == "DuplicateOrganizationalUnitException"
    with pytest.raises(ClientError) as e:
        c.create_organizational_unit(ParentId="ou-abcd-12345678", Name="x")
    assert code_of(e) == "ParentNotFoundException"

    child = c.create_organizational_unit(ParentId=ou["Id"], Name="web")["OrganizationalUnit"]
    assert c.describe_organizational_unit(OrganizationalUnitId=child["Id"])["OrganizationalUnit"] == child
    renamed = c.update_organizational_unit(OrganizationalUnitId=child["Id"], Name="api")["OrganizationalUnit"]
    assert renamed["Name"] == "api"

    assert [u["Id"] for u in c.list_organizational_units_for_parent(ParentId=org.root)["OrganizationalUnits"]] == [ou["Id"]]
    assert c.list_children(ParentId=ou["Id"], ChildType="ORGANIZATIONAL_UNIT")["Children"] == [
        {"Id": child["Id"], "Type": "ORGANIZATIONAL_UNIT"}]
    assert c.list_children(ParentId=org.root, ChildType="ACCOUNT")["Children"] == [
        {"Id": org.account, "Type": "ACCOUNT"}]
    assert c.list_parents(ChildId=child["Id"])["Parents"] == [{"Id": ou["Id"], "Type": "ORGANIZATIONAL_UNIT"}]
    assert c.list_parents(ChildId=ou["Id"])["Parents"] == [{"Id": org.root, "Type": "ROOT"}]
    assert c.list_parents(ChildId=org.account)["Parents"] == [{"Id": org.root, "Type": "ROOT"}]
    with pytest.raises(ClientError) as e:
        c.list_parents(ChildId="ou-abcd-12345678")
    assert code_of(e) == "ChildNotFoundException"

    with pytest.raises(ClientError) as e:
        c.delete_organizational_unit(OrganizationalUnitId=ou["Id"])
    assert code_of(e) == "OrganizationalUnitNotEmptyException"
    c.delete_organizational_unit(OrganizationalUnitId=child["Id"])
    c.delete_organizational_unit(OrganizationalUnitId=ou["Id"])
    with pytest.raises(ClientError) as e:
        c.describe_organizational_unit(OrganizationalUnitId=ou["Id"])
    assert code_of(e) == "OrganizationalUnitNotFoundException"


def test_ou_depth_limit(org):
    parent = org.root
    for depth in range(5):
        parent = org.client.create_organizational_unit(ParentId=parent, Name=f"l{depth}")["OrganizationalUnit"]["Id"]
    with pytest.raises(ClientError) as e:
        org.client.create_organizational_unit(ParentId=parent, Name="too-deep")
    assert code_of(e) == "ConstraintViolationException"
    assert reason_of(e) == "OU_DEPTH_LIMIT_EXCEEDED"


# Accounts

def test_create_account(org):
    c = org.client
    status = c.create_account(Email="dev@example.com", AccountName="dev",
                              Tags=[{"Key": "env", "Value": "dev"}])["CreateAccountStatus"]
    assert status["State"] == "IN_PROGRESS"
    assert status["Id"].startswith("car-")
    assert status["AccountName"] == "dev"
    done = c.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert done["State"] == "SUCCEEDED"
    account = done["AccountId"]
    assert len(account) == 12 and account.isdigit()
    described = c.describe_account(AccountId=account)["Account"]
    assert described["Arn"] == f"arn:aws:organizations::{org.account}:account/{org.id}/{account}"
    assert described["Email"] == "dev@example.com"
    assert described["Name"] == "dev"
    assert described["Status"] == "ACTIVE"
    assert described["JoinedMethod"] == "CREATED"
    assert c.list_tags_for_resource(ResourceId=account)["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert {a["Id"] for a in c.list_accounts()["Accounts"]} == {org.account, account}
    assert [a["Id"] for a in c.list_accounts_for_parent(ParentId=org.root)["Accounts"]] == sorted([org.account, account])
    statuses = c.list_create_account_status(States=["SUCCEEDED"])["CreateAccountStatuses"]
    assert [s["AccountId"] for s in statuses] == [account]
    assert c.list_create_account_status(States=["FAILED"])["CreateAccountStatuses"] == []

    # The same email again fails, as AWS reports it: asynchronously.
    again = c.create_account(Email="dev@example.com", AccountName="dev2")["CreateAccountStatus"]
    failed = c.describe_create_account_status(CreateAccountRequestId=again["Id"])["CreateAccountStatus"]
    assert failed["State"] == "FAILED" and failed["FailureReason"] == "EMAIL_ALREADY_EXISTS"

    with pytest.raises(ClientError) as e:
        c.describe_create_account_status(CreateAccountRequestId="car-" + "0" * 32)
    assert code_of(e) == "CreateAccountStatusNotFoundException"
    with pytest.raises(ClientError) as e:
        c.describe_account(AccountId="123456789012")
    assert code_of(e) == "AccountNotFoundException"


def test_new_account_has_the_access_role(server, org):
    account = org.create_account()
    iam = org.client_for(account, "iam")
    role = iam.get_role(RoleName="OrganizationAccountAccessRole")["Role"]
    assert role["Arn"] == f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    trust = role["AssumeRolePolicyDocument"]
    statement = trust["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{org.account}:root"}
    assert statement["Action"] == "sts:AssumeRole"
    attached = iam.list_attached_role_policies(RoleName="OrganizationAccountAccessRole")["AttachedPolicies"]
    assert attached == [{"PolicyName": "AdministratorAccess",
                         "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]
    policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
    assert policy["AttachmentCount"] == 1

    # The management account assumes it and acts in the new account.
    sts = org.client_for(org.account, "sts")
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="admin")["Credentials"]
    session_sts = server.client("sts", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                                session_token=creds["SessionToken"])
    identity = session_sts.get_caller_identity()
    assert identity["Account"] == account
    assert identity["Arn"] == f"arn:aws:sts::{account}:assumed-role/OrganizationAccountAccessRole/admin"


def test_create_account_with_role_name(org):
    account = org.create_account(RoleName="OrgAdmin")
    iam = org.client_for(account, "iam")
    assert iam.get_role(RoleName="OrgAdmin")["Role"]["RoleName"] == "OrgAdmin"
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["OrgAdmin"]


def test_member_accounts_see_the_organization(org):
    account = org.create_account()
    member = org.client_for(account)
    assert member.describe_organization()["Organization"] == org.org
    for call in (member.list_accounts, member.list_roots,
                 lambda: member.create_organizational_unit(ParentId=org.root, Name="x"),
                 lambda: member.describe_account(AccountId=org.account)):
        with pytest.raises(ClientError) as e:
            call()
        assert code_of(e) == "AccessDeniedException"
        assert e.value.response["Error"]["Message"] == "You don't have permissions to access this resource."
    with pytest.raises(ClientError) as e:
        member.create_organization()
    assert code_of(e) == "AlreadyInOrganizationException"


def test_move_account(org):
    c = org.client
    account = org.create_account()
    ou = c.create_organizational_unit(ParentId=org.root, Name="apps")["OrganizationalUnit"]["Id"]
    c.move_account(AccountId=account, SourceParentId=org.root, DestinationParentId=ou)
    assert c.list_parents(ChildId=account)["Parents"] == [{"Id": ou, "Type": "ORGANIZATIONAL_UNIT"}]
    assert [a["Id"] for a in c.list_accounts_for_parent(ParentId=ou)["Accounts"]] == [account]
    cases = [
        ({"SourceParentId": org.root, "DestinationParentId": ou}, "SourceParentNotFoundException"),
        ({"SourceParentId": ou, "DestinationParentId": "ou-abcd-12345678"}, "DestinationParentNotFoundException"),
        ({"SourceParentId": ou, "DestinationParentId": ou}, "DuplicateAccountException"),
    ]
    for args, code in cases:
        with pytest.raises(ClientError) as e:
            c.move_account(AccountId=account, **args)
        assert code_of(e) == code
    with pytest.raises(ClientError) as e:
        c.move_account(AccountId="123456789012", SourceParentId=ou, DestinationParentId=org.root)
    assert code_of(e) == "AccountNotFoundException"
    with pytest.raises(ClientError) as e:
        c.list_accounts_for_parent(ParentId="ou-abcd-12345678")
    assert code_of(e) == "ParentNotFoundException"


def test_close_account(org):
    account = org.create_account()
    org.client.close_account(AccountId=account)
    described = org.client.describe_account(AccountId=account)["Account"]
    assert described["Status"] in ("SUSPENDED", "PENDING_CLOSURE")
    with pytest.raises(ClientError) as e:
        org.client.close_account(AccountId=account)
    assert code_of(e) == "AccountAlreadyClosedException"
    with pytest.raises(ClientError) as e:
        org.client.close_account(AccountId=org.account)
    assert code_of(e) == "ConstraintViolationException"


def test_remove_and_leave(org):
    c = org.client
    first, second = org.create_account("one"), org.create_account("two")
    c.remove_account_from_organization(AccountId=first)
    with pytest.raises(ClientError) as e:
        c.describe_account(AccountId=first)
    assert code_of(e) == "AccountNotFoundException"
    with pytest.raises(ClientError) as e:
        org.client_for(first).describe_organization()
    assert code_of(e) == "AWSOrganizationsNotInUseException"

    org.client_for(second).leave_organization()
    assert [a["Id"] for a in c.list_accounts()["Accounts"]] == [org.account]

    with pytest.raises(ClientError) as e:
        c.remove_account_from_organization(AccountId=org.account)
    assert code_of(e) == "MasterCannotLeaveOrganizationException"
    with pytest.raises(ClientError) as e:
        c.leave_organization()
    assert code_of(e) == "ConstraintViolationException"
    assert reason_of(e) == "ACCOUNT_CANNOT_LEAVE_ORGANIZATION"


# Handshakes

def test_invite_and_accept(server, org):
    c = org.client
    invitee = new_account_id()
    handshake = c.invite_account_to_organization(Target={"Id": invitee, "Type": "ACCOUNT"}, Notes="join us",
                                                 Tags=[{"Key": "team", "Value": "core"}])["Handshake"]
    assert handshake["Id"].startswith("h-")
    assert handshake["Arn"] == f"arn:aws:organizations::{org.account}:handshake/{org.id}/invite/{handshake['Id']}"
    assert handshake["State"] == "OPEN" and handshake["Action"] == "INVITE"
    assert {"Id": invitee, "Type": "ACCOUNT"} in handshake["Parties"]
    assert {"Type": "NOTES", "Value": "join us"} in handshake["Resources"]
    assert handshake["ExpirationTimestamp"] > handshake["RequestedTimestamp"]
    with pytest.raises(ClientError) as e:
        c.invite_account_to_organization(Target={"Id": invitee, "Type": "ACCOUNT"})
    assert code_of(e) == "DuplicateHandshakeException"

    guest = org.client_for(invitee)
    listed = guest.list_handshakes_for_account()["Handshakes"]
    assert [h["Id"] for h in listed] == [handshake["Id"]]
    assert guest.describe_handshake(HandshakeId=handshake["Id"])["Handshake"]["Id"] == handshake["Id"]
    with pytest.raises(ClientError) as e:
        org.client_for(new_account_id()).describe_handshake(HandshakeId=handshake["Id"])
    assert code_of(e) == "HandshakeNotFoundException"

    accepted = guest.accept_handshake(HandshakeId=handshake["Id"])["Handshake"]
    assert accepted["State"] == "ACCEPTED"
    with pytest.raises(ClientError) as e:
        guest.accept_handshake(HandshakeId=handshake["Id"])
    assert code_of(e) == "HandshakeAlreadyInStateException"
    account = c.describe_account(AccountId=invitee)["Account"]
    assert account["JoinedMethod"] == "INVITED"
    assert c.list_tags_for_resource(ResourceId=invitee)["Tags"] == [{"Key": "team", "Value": "core"}]
    assert guest.describe_organization()["Organization"]["Id"] == org.id
    assert [h["Id"] for h in c.list_handshakes_for_organization()["Handshakes"]] == [handshake["Id"]]

    with pytest.raises(ClientError) as e:
        c.invite_account_to_organization(Target={"Id": invitee, "Type": "ACCOUNT"})
    assert code_of(e) == "HandshakeConstraintViolationException"


def test_decline_and_cancel(org):
    c = org.client
    first, second = new_account_id(), new_account_id()
    h1 = c.invite_account_to_organization(Target={"Id": first, "Type": "ACCOUNT"})["Handshake"]
    h2 = c.invite_account_to_organization(Target={"Id": second, "Type": "ACCOUNT"})["Handshake"]
    assert org.client_for(first).decline_handshake(HandshakeId=h1["Id"])["Handshake"]["State"] == "DECLINED"
    assert c.cancel_handshake(HandshakeId=h2["Id"])["Handshake"]["State"] == "CANCELED"
    with pytest.raises(ClientError) as e:
        org.client_for(second).accept_handshake(HandshakeId=h2["Id"])
    assert code_of(e) == "InvalidHandshakeTransitionException"
    with pytest.raises(ClientError) as e:
        c.cancel_handshake(HandshakeId=h2["Id"])
    assert code_of(e) == "HandshakeAlreadyInStateException"
    states = {h["Id"]: h["State"] for h in c.list_handshakes_for_organization()["Handshakes"]}
    assert states == {h1["Id"]: "DECLINED", h2["Id"]: "CANCELED"}
    filtered = c.list_handshakes_for_organization(Filter={"ActionType": "ENABLE_ALL_FEATURES"})["Handshakes"]
    assert filtered == []


def test_enable_all_features(server):
    o = Org(server, feature_set="CONSOLIDATED_BILLING")
    assert o.org["FeatureSet"] == "CONSOLIDATED_BILLING"
    assert o.org["AvailablePolicyTypes"] == []
    with pytest.raises(ClientError) as e:
        o.client.enable_policy_type(RootId=o.root, PolicyType=SCP)
    assert code_of(e) == "PolicyTypeNotAvailableForOrganizationException"
    member = o.create_account()
    parent = o.client.enable_all_features()["Handshake"]
    assert parent["Action"] == "ENABLE_ALL_FEATURES"
    approvals = o.client_for(member).list_handshakes_for_account(
        Filter={"ParentHandshakeId": parent["Id"]})["Handshakes"]
    assert [h["Action"] for h in approvals] == ["APPROVE_ALL_FEATURES"]
    with pytest.raises(ClientError) as e:
        o.client.accept_handshake(HandshakeId=parent["Id"])
    assert code_of(e) == "InvalidHandshakeTransitionException"
    o.client_for(member).accept_handshake(HandshakeId=approvals[0]["Id"])
    o.client.accept_handshake(HandshakeId=parent["Id"])
    assert o.client.describe_organization()["Organization"]["FeatureSet"] == "ALL"
    with pytest.raises(ClientError) as e:
        o.client.enable_all_features()
    assert code_of(e) == "HandshakeConstraintViolationException"
    assert reason_of(e) == "ORGANIZATION_ALREADY_HAS_ALL_FEATURES"


# Policies

def test_service_control_policies(org):
    c = org.client
    full = c.list_policies(Filter=SCP)["Policies"]
    assert full == [{"Id": "p-FullAWSAccess",
                     "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
                     "Name": "FullAWSAccess", "Description": "Allows access to every operation",
                     "Type": SCP, "AwsManaged": True}]
    account = org.create_account()
    ou = c.create_organizational_unit(ParentId=org.root, Name="sec")["OrganizationalUnit"]["Id"]
    policy = c.create_policy(Content=SCP_DENY_S3, Description="no s3", Name="deny-s3", Type=SCP)["Policy"]
    summary = policy["PolicySummary"]
    assert summary["Id"].startswith("p-")
    assert summary["Arn"] == (f"arn:aws:organizations::{org.account}:policy/{org.id}/service_control_policy/"
                              f"{summary['Id']}")
    assert summary["AwsManaged"] is False
    assert json.loads(policy["Content"]) == json.loads(SCP_DENY_S3)
    with pytest.raises(ClientError) as e:
        c.attach_policy(PolicyId=summary["Id"], TargetId=ou)
    assert code_of(e) == "PolicyTypeNotEnabledException"

    root = org.enable_scps()
    assert root["PolicyTypes"] == [{"Type": SCP, "Status": "ENABLED"}]
    with pytest.raises(ClientError) as e:
        org.enable_scps()
    assert code_of(e) == "PolicyTypeAlreadyEnabledException"
    # FullAWSAccess is on the root, every OU and every account, old and new.
    targets = {t["TargetId"]: t["Type"] for t in c.list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"]}
    assert targets == {org.root: "ROOT", ou: "ORGANIZATIONAL_UNIT", account: "ACCOUNT", org.account: "ACCOUNT"}
    later = c.create_organizational_unit(ParentId=org.root, Name="later")["OrganizationalUnit"]["Id"]
    assert [p["Id"] for p in c.list_policies_for_target(TargetId=later, Filter=SCP)["Policies"]] == ["p-FullAWSAccess"]

    c.attach_policy(PolicyId=summary["Id"], TargetId=ou)
    with pytest.raises(ClientError) as e:
        c.attach_policy(PolicyId=summary["Id"], TargetId=ou)
    assert code_of(e) == "DuplicatePolicyAttachmentException"
    assert sorted(p["Id"] for p in c.list_policies_for_target(TargetId=ou, Filter=SCP)["Policies"]) == sorted(
        ["p-FullAWSAccess", summary["Id"]])
    assert c.list_targets_for_policy(PolicyId=summary["Id"])["Targets"] == [{
        "TargetId": ou, "Arn": f"arn:aws:organizations::{org.account}:ou/{org.id}/{ou}", "Name": "sec",
        "Type": "ORGANIZATIONAL_UNIT"}]

    with pytest.raises(ClientError) as e:
        c.delete_policy(PolicyId=summary["Id"])
    assert code_of(e) == "PolicyInUseException"
    # The last SCP of a target stays.
    c.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
    with pytest.raises(ClientError) as e:
        c.detach_policy(PolicyId=summary["Id"], TargetId=ou)
    assert code_of(e) == "ConstraintViolationException"
    assert reason_of(e) == "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
    with pytest.raises(ClientError) as e:
        c.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
    assert code_of(e) == "PolicyNotAttachedException"
    c.attach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
    c.detach_policy(PolicyId=summary["Id"], TargetId=ou)

    updated = c.update_policy(PolicyId=summary["Id"], Name="deny-s3-v2", Description="v2")["Policy"]["PolicySummary"]
    assert (updated["Name"], updated["Description"]) == ("deny-s3-v2", "v2")
    with pytest.raises(ClientError) as e:
        c.update_policy(PolicyId="p-FullAWSAccess", Name="mine")
    assert code_of(e) == "InvalidInputException"
    c.delete_policy(PolicyId=summary["Id"])
    with pytest.raises(ClientError) as e:
        c.describe_policy(PolicyId=summary["Id"])
    assert code_of(e) == "PolicyNotFoundException"

    root = c.disable_policy_type(RootId=org.root, PolicyType=SCP)["Root"]
    assert root["PolicyTypes"] == []
    assert c.list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"] == []
    with pytest.raises(ClientError) as e:
        c.disable_policy_type(RootId=org.root, PolicyType=SCP)
    assert code_of(e) == "PolicyTypeNotEnabledException"
    with pytest.raises(ClientError) as e:
        c.enable_policy_type(RootId="r-zzzz", PolicyType=SCP)
    assert code_of(e) == "RootNotFoundException"


def test_policy_validation(org):
    c = org.client
    bad = [
        ("not json", "MalformedPolicyDocumentException"),
        (json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}), "MalformedPolicyDocumentException"),
        (json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": [f"s3:Action{i:05d}" for i in range(400)], "Resource": "*"}]}),
         "ConstraintViolationException"),
    ]
    for content, code in bad:
        with pytest.raises(ClientError) as e:
            c.create_policy(Content=content, Description="", Name="bad", Type=SCP)
        assert code_of(e) == code
    c.create_policy(Content=SCP_DENY_S3, Description="", Name="dup", Type=SCP)
    with pytest.raises(ClientError) as e:
        c.create_policy(Content=SCP_DENY_S3, Description="", Name="dup", Type=SCP)
    assert code_of(e) == "DuplicatePolicyException"
    with pytest.raises(ClientError) as e:
        c.create_policy(Content="[1, 2", Description="", Name="tags", Type="TAG_POLICY")
    assert code_of(e) == "MalformedPolicyDocumentException"
    with pytest.raises(ClientError) as e:
        c.delete_policy(PolicyId="p-FullAWSAccess")
    assert code_of(e) == "InvalidInputException"
    with pytest.raises(ClientError) as e:
        c.attach_policy(PolicyId="p-12345678", TargetId=org.root)
    assert code_of(e) == "PolicyNotFoundException"
    org.enable_scps()
    with pytest.raises(ClientError) as e:
        c.attach_policy(PolicyId="p-FullAWSAccess", TargetId="ou-abcd-12345678")
    assert code_of(e) == "TargetNotFoundException"


def test_tag_policy_and_effective_policy(org):
    c = org.client
    account = org.create_account()
    ou = c.create_organizational_unit(ParentId=org.root, Name="teams")["OrganizationalUnit"]["Id"]
    c.move_account(AccountId=account, SourceParentId=org.root, DestinationParentId=ou)
    root_policy = {"tags": {"costcenter": {"tag_key": {"@@assign": "CostCenter"},
                                           "tag_value": {"@@assign": ["100", "200"]}}}}
    ou_policy = {"tags": {"costcenter": {"tag_value": {"@@append": ["300"]}},
                          "team": {"tag_key": {"@@assign": "Team"}}}}
    p1 = c.create_policy(Content=json.dumps(root_policy), Description="", Name="cost", Type="TAG_POLICY")
    p2 = c.create_policy(Content=json.dumps(ou_policy), Description="", Name="team", Type="TAG_POLICY")
    with pytest.raises(ClientError) as e:
        c.describe_effective_policy(PolicyType="TAG_POLICY", TargetId=account)
    assert code_of(e) == "EffectivePolicyNotFoundException"
    c.enable_policy_type(RootId=org.root, PolicyType="TAG_POLICY")
    c.attach_policy(PolicyId=p1["Policy"]["PolicySummary"]["Id"], TargetId=org.root)
    c.attach_policy(PolicyId=p2["Policy"]["PolicySummary"]["Id"], TargetId=ou)
    effective = c.describe_effective_policy(PolicyType="TAG_POLICY", TargetId=account)["EffectivePolicy"]
    assert effective["TargetId"] == account and effective["PolicyType"] == "TAG_POLICY"
    assert json.loads(effective["PolicyContent"]) == {"tags": {
        "costcenter": {"tag_key": "CostCenter", "tag_value": ["100", "200", "300"]},
        "team": {"tag_key": "Team"}}}
    # The member asks about itself.
    own = org.client_for(account).describe_effective_policy(PolicyType="TAG_POLICY")["EffectivePolicy"]
    assert own["PolicyContent"] == effective["PolicyContent"]
    management = c.describe_effective_policy(PolicyType="TAG_POLICY")["EffectivePolicy"]
    assert json.loads(management["PolicyContent"]) == {"tags": {"costcenter": {
        "tag_key": "CostCenter", "tag_value": ["100", "200"]}}}
    with pytest.raises(ClientError) as e:
        c.describe_effective_policy(PolicyType="TAG_POLICY", TargetId=ou)
    assert code_of(e) == "InvalidInputException"


# Trusted access, delegated administrators, resource policy

def test_service_access_and_delegated_administrators(org):
    c = org.client
    c.enable_aws_service_access(ServicePrincipal="config.amazonaws.com")
    c.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    enabled = c.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [s["ServicePrincipal"] for s in enabled] == ["config.amazonaws.com", "guardduty.amazonaws.com"]
    c.disable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    assert len(c.list_aws_service_access_for_organization()["EnabledServicePrincipals"]) == 1
    with pytest.raises(ClientError) as e:
        c.enable_aws_service_access(ServicePrincipal="not-a-principal")
    assert code_of(e) == "InvalidInputException"

    account = org.create_account()
    c.register_delegated_administrator(AccountId=account, ServicePrincipal="config.amazonaws.com")
    with pytest.raises(ClientError) as e:
        c.register_delegated_administrator(AccountId=account, ServicePrincipal="config.amazonaws.com")
    assert code_of(e) == "AccountAlreadyRegisteredException"
    with pytest.raises(ClientError) as e:
        c.register_delegated_administrator(AccountId=org.account, ServicePrincipal="config.amazonaws.com")
    assert code_of(e) == "ConstraintViolationException"
    admins = c.list_delegated_administrators()["DelegatedAdministrators"]
    assert [a["Id"] for a in admins] == [account] and "DelegationEnabledDate" in admins[0]
    assert c.list_delegated_administrators(ServicePrincipal="ssm.amazonaws.com")["DelegatedAdministrators"] == []
    services = c.list_delegated_services_for_account(AccountId=account)["DelegatedServices"]
    assert [s["ServicePrincipal"] for s in services] == ["config.amazonaws.com"]
    # A delegated administrator reads the organization.
    assert len(org.client_for(account).list_accounts()["Accounts"]) == 2
    with pytest.raises(ClientError) as e:
        c.remove_account_from_organization(AccountId=account)
    assert code_of(e) == "ConstraintViolationException"
    c.deregister_delegated_administrator(AccountId=account, ServicePrincipal="config.amazonaws.com")
    with pytest.raises(ClientError) as e:
        c.deregister_delegated_administrator(AccountId=account, ServicePrincipal="config.amazonaws.com")
    assert code_of(e) == "AccountNotRegisteredException"
    with pytest.raises(ClientError) as e:
        c.list_delegated_services_for_account(AccountId=account)
    assert code_of(e) == "AccountNotRegisteredException"


def test_resource_policy(org):
    c = org.client
    with pytest.raises(ClientError) as e:
        c.describe_resource_policy()
    assert code_of(e) == "ResourcePolicyNotFoundException"
    content = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{org.account}:root"},
        "Action": "organizations:DescribeOrganization", "Resource": "*"}]})
    put = c.put_resource_policy(Content=content, Tags=[{"Key": "k", "Value": "v"}])["ResourcePolicy"]
    summary = put["ResourcePolicySummary"]
    assert summary["Id"].startswith("rp-")
    assert summary["Arn"] == f"arn:aws:organizations::{org.account}:resourcepolicy/{org.id}/{summary['Id']}"
    assert c.describe_resource_policy()["ResourcePolicy"] == put
    assert c.list_tags_for_resource(ResourceId=summary["Id"])["Tags"] == [{"Key": "k", "Value": "v"}]
    with pytest.raises(ClientError) as e:
        c.put_resource_policy(Content="{")
    assert code_of(e) == "InvalidInputException"
    c.delete_resource_policy()
    with pytest.raises(ClientError) as e:
        c.delete_resource_policy()
    assert code_of(e) == "ResourcePolicyNotFoundException"


def test_govcloud_and_responsibility_transfers(org):
    c = org.client
    with pytest.raises(ClientError) as e:
        c.create_gov_cloud_account(Email="gov@example.com", AccountName="gov")
    assert code_of(e) == "ConstraintViolationException"
    assert reason_of(e) == "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED"
    assert c.list_inbound_responsibility_transfers(Type="BILLING")["ResponsibilityTransfers"] == []
    assert c.list_outbound_responsibility_transfers(Type="BILLING")["ResponsibilityTransfers"] == []
    with pytest.raises(ClientError) as e:
        c.describe_responsibility_transfer(Id="rt-12345678")
    assert code_of(e) == "ResponsibilityTransferNotFoundException"


# Tags

def test_tags(org):
    c = org.client
    ou = c.create_organizational_unit(ParentId=org.root, Name="t", Tags=[{"Key": "a", "Value": "1"}])
    ou_id = ou["OrganizationalUnit"]["Id"]
    policy = c.create_policy(Content=SCP_DENY_S3, Description="", Name="t", Type=SCP,
                             Tags=[{"Key": "p", "Value": "1"}])["Policy"]["PolicySummary"]["Id"]
    for resource in (ou_id, org.root, org.account, policy):
        c.tag_resource(ResourceId=resource, Tags=[{"Key": "x", "Value": "1"}, {"Key": "y", "Value": "2"}])
        c.untag_resource(ResourceId=resource, TagKeys=["y"])
        keys = [t["Key"] for t in c.list_tags_for_resource(ResourceId=resource)["Tags"]]
        assert "x" in keys and "y" not in keys
    assert c.list_tags_for_resource(ResourceId=ou_id)["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "x", "Value": "1"}]
    for resource in ("ou-abcd-12345678", "123456789012", "p-12345678"):
        with pytest.raises(ClientError) as e:
            c.list_tags_for_resource(ResourceId=resource)
        assert code_of(e) == "TargetNotFoundException"
    with pytest.raises(ClientError) as e:
        c.tag_resource(ResourceId=org.root, Tags=[{"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}])
    assert code_of(e) == "InvalidInputException"
    assert reason_of(e) == "DUPLICATE_TAG_KEY"
    with pytest.raises(ClientError) as e:
        c.tag_resource(ResourceId=org.root, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert code_of(e) == "ConstraintViolationException"


# Pagination

def test_pagination(org):
    c = org.client
    ids = {c.create_organizational_unit(ParentId=org.root, Name=f"ou-{i:02d}")["OrganizationalUnit"]["Id"]
           for i in range(23)}
    first = c.list_organizational_units_for_parent(ParentId=org.root, MaxResults=10)
    assert len(first["OrganizationalUnits"]) == 10 and "NextToken" in first
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = c.list_organizational_units_for_parent(ParentId=org.root, MaxResults=10, **kwargs)
        seen += [u["Id"] for u in page["OrganizationalUnits"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3 and set(seen) == ids and len(seen) == len(ids)
    # Without MaxResults AWS answers at most 20 a page; the paginator follows.
    assert len(c.list_children(ParentId=org.root, ChildType="ORGANIZATIONAL_UNIT")["Children"]) == 20
    paginator = c.get_paginator("list_children")
    children = [ch["Id"] for p in paginator.paginate(ParentId=org.root, ChildType="ORGANIZATIONAL_UNIT")
                for ch in p["Children"]]
    assert set(children) == ids
    for _ in range(3):
        org.create_account()
    accounts = [a["Id"] for p in c.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 2})
                for a in p["Accounts"]]
    assert len(accounts) == 4 and len(set(accounts)) == 4
    with pytest.raises(ClientError) as e:
        c.list_accounts(NextToken="not-a-token!")
    assert code_of(e) == "InvalidInputException"


# Under --enforce-iam: IAM permissions for Organizations, and SCPs on member accounts

def test_enforced_permissions_and_scps(make_server):
    server = make_server(["--enforce-iam"])
    o = Org(server)
    o.enable_scps()
    account = o.create_account()
    ou = o.client.create_organizational_unit(ParentId=o.root, Name="locked")["OrganizationalUnit"]["Id"]
    o.client.move_account(AccountId=account, SourceParentId=o.root, DestinationParentId=ou)

    # A user of the management account allowed only to describe the organization.
    iam = o.client_for(o.account, "iam")
    iam.create_user(UserName="auditor")
    iam.put_user_policy(UserName="auditor", PolicyName="describe", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "organizations:DescribeOrganization", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    auditor = server.client("organizations", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    assert auditor.describe_organization()["Organization"]["Id"] == o.id
    with pytest.raises(ClientError) as e:
        auditor.list_accounts()
    assert code_of(e) == "AccessDeniedException"

    # The management account administers the member through the role; an SCP on its OU limits it.
    role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    creds = o.client_for(o.account, "sts").assume_role(RoleArn=role, RoleSessionName="ops")["Credentials"]
    member_iam = server.client("iam", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                               session_token=creds["SessionToken"])
    member_iam.create_user(UserName="before")
    deny = o.client.create_policy(Content=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}),
        Description="", Name="no-users", Type=SCP)["Policy"]["PolicySummary"]["Id"]
    o.client.attach_policy(PolicyId=deny, TargetId=ou)
    with pytest.raises(ClientError) as e:
        member_iam.create_user(UserName="after")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert [u["UserName"] for u in member_iam.list_users()["Users"]] == ["before"]
    # The management account itself is never limited by SCPs.
    o.client.attach_policy(PolicyId=deny, TargetId=o.account)
    iam.create_user(UserName="still-allowed")
    o.client.detach_policy(PolicyId=deny, TargetId=ou)
    member_iam.create_user(UserName="after")


def test_bad_input_is_invalid_input_with_a_reason(org):
    with pytest.raises(ClientError) as excinfo:
        org.client.describe_account(AccountId="12345678901x")
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidInputException"
    assert error["Message"] == "You provided a value that does not match the required pattern."
    assert excinfo.value.response["Reason"] == "INVALID_PATTERN"
