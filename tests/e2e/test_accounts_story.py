"""A company's accounts under --enforce-iam, played through as its engineers
would with boto3: the management account creates the organization and the
accounts prod, stage and ops; it assumes OrganizationAccountAccessRole into
prod and creates there a role that trusts ops; ops assumes that role and can
do exactly what its policy allows; an SCP that denies a region blocks a call
in stage; a permissions boundary limits a user; every denial carries AWS's
message, and a bad policy changes nothing."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import Server

MANAGEMENT = "000000000000"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def denied(call, **kwargs):
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    error = excinfo.value.response["Error"]
    assert error["Code"] in ("AccessDenied", "AccessDeniedException"), error
    return error["Message"]


class Company:
    def __init__(self, server):
        self.server = server
        self.org = server.client("organizations")
        self.accounts = {}

    def session(self, creds, service, **kwargs):
        return self.server.client(service, access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                                  session_token=creds.get("SessionToken"), **kwargs)

    def create_account(self, name):
        status = self.org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        for _ in range(100):
            status = self.org.describe_create_account_status(
                CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
            if status["State"] != "IN_PROGRESS":
                break
        assert status["State"] == "SUCCEEDED", status
        self.accounts[name] = status["AccountId"]
        return status["AccountId"]

    def admin_of(self, name):
        """The management account's way into a member account."""
        arn = f"arn:aws:iam::{self.accounts[name]}:role/OrganizationAccountAccessRole"
        return self.server.client("sts").assume_role(RoleArn=arn, RoleSessionName="platform")["Credentials"]


@pytest.fixture(scope="module")
def company():
    server = Server(["--enforce-iam"]).start()
    c = Company(server)
    c.org.create_organization(FeatureSet="ALL")
    for name in ("prod", "stage", "ops"):
        c.create_account(name)
    yield c
    server.cleanup()


def test_accounts_are_in_the_organization(company):
    names = {a["Name"]: a["Id"] for a in company.org.list_accounts()["Accounts"]}
    for name in ("prod", "stage", "ops"):
        assert names[name] == company.accounts[name]
    assert MANAGEMENT in names.values()


def test_management_assumes_the_access_role_into_prod(company):
    creds = company.admin_of("prod")
    identity = company.session(creds, "sts").get_caller_identity()
    assert identity["Account"] == company.accounts["prod"]
    assert identity["Arn"] == (f"arn:aws:sts::{company.accounts['prod']}:assumed-role/"
                               f"OrganizationAccountAccessRole/platform")


def test_ops_assumes_a_role_in_prod_and_can_do_exactly_what_it_allows(company):
    prod, ops = company.accounts["prod"], company.accounts["ops"]
    prod_iam = company.session(company.admin_of("prod"), "iam")
    prod_iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ops}:root"}, "Action": "sts:AssumeRole"}))
    prod_iam.put_role_policy(RoleName="deployer", PolicyName="read-roles", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["iam:GetRole", "iam:ListRoles"], "Resource": "*"}))
    prod_iam.create_role(RoleName="secret", AssumeRolePolicyDocument=doc({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{prod}:root"}, "Action": "sts:AssumeRole"}))

    # In ops, an engineer whose own policy lets them assume the deployer role.
    ops_iam = company.session(company.admin_of("ops"), "iam")
    ops_iam.create_user(UserName="ci")
    ops_iam.put_user_policy(UserName="ci", PolicyName="assume", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{prod}:role/*"}))
    key = ops_iam.create_access_key(UserName="ci")["AccessKey"]
    ci_sts = company.session(key, "sts")

    creds = ci_sts.assume_role(RoleArn=f"arn:aws:iam::{prod}:role/deployer", RoleSessionName="deploy")["Credentials"]
    deployer = company.session(creds, "iam")
    assert {r["RoleName"] for r in deployer.list_roles()["Roles"]} >= {"deployer", "secret"}
    assert deployer.get_role(RoleName="secret")["Role"]["Arn"] == f"arn:aws:iam::{prod}:role/secret"
    message = denied(deployer.create_user, UserName="intruder")
    assert message == (f"User: arn:aws:sts::{prod}:assumed-role/deployer/deploy is not authorized to perform: "
                       f"iam:CreateUser on resource: arn:aws:iam::{prod}:user/intruder because no "
                       f"identity-based policy allows the iam:CreateUser action")

    # A role that trusts only prod itself is closed to ops, whatever ops allows.
    message = denied(ci_sts.assume_role, RoleArn=f"arn:aws:iam::{prod}:role/secret", RoleSessionName="try")
    assert message == (f"User: arn:aws:iam::{ops}:user/ci is not authorized to perform: sts:AssumeRole "
                       f"on resource: arn:aws:iam::{prod}:role/secret")

    # Cross-account access needs both sides: without its own policy, ci cannot
    # use the trust prod gives ops.
    ops_iam.delete_user_policy(UserName="ci", PolicyName="assume")
    message = denied(ci_sts.assume_role, RoleArn=f"arn:aws:iam::{prod}:role/deployer", RoleSessionName="again")
    assert "because no identity-based policy allows the sts:AssumeRole action" in message


def test_an_scp_that_denies_a_region_blocks_stage_only(company):
    root = company.org.list_roots()["Roots"][0]["Id"]
    company.org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    policy = company.org.create_policy(
        Name="no-us-west-2", Type="SERVICE_CONTROL_POLICY", Description="Keep stage out of us-west-2",
        Content=doc({"Effect": "Deny", "Action": "*", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:RequestedRegion": "us-west-2"}}}))["Policy"]
    company.org.attach_policy(PolicyId=policy["PolicySummary"]["Id"], TargetId=company.accounts["stage"])

    stage = company.admin_of("stage")
    company.session(stage, "iam", region="us-east-1").list_roles()
    message = denied(company.session(stage, "iam", region="us-west-2").list_roles)
    assert message.endswith("with an explicit deny in a service control policy")
    # prod, without the SCP, still works in us-west-2; the management account is exempt.
    company.session(company.admin_of("prod"), "iam", region="us-west-2").list_roles()
    company.server.client("iam", region="us-west-2").list_roles()


def test_an_ou_scp_applies_to_the_accounts_moved_into_it(company):
    root = company.org.list_roots()["Roots"][0]["Id"]
    ou = company.org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    policy = company.org.create_policy(
        Name="no-iam-users", Type="SERVICE_CONTROL_POLICY", Description="No IAM users in workloads",
        Content=doc({"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}))["Policy"]
    company.org.attach_policy(PolicyId=policy["PolicySummary"]["Id"], TargetId=ou)
    ops = company.session(company.admin_of("ops"), "iam")
    ops.create_user(UserName="before-move")
    company.org.move_account(AccountId=company.accounts["ops"], SourceParentId=root, DestinationParentId=ou)
    message = denied(ops.create_user, UserName="after-move")
    assert "with an explicit deny in a service control policy" in message


def test_a_permissions_boundary_limits_a_user_in_prod(company):
    prod = company.session(company.admin_of("prod"), "iam")
    boundary = prod.create_policy(PolicyName="read-only-boundary", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}))["Policy"]["Arn"]
    prod.create_user(UserName="dev", PermissionsBoundary=boundary)
    prod.attach_user_policy(UserName="dev", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    dev = company.session(prod.create_access_key(UserName="dev")["AccessKey"], "iam")
    dev.list_users()
    message = denied(dev.create_role, RoleName="escalate", AssumeRolePolicyDocument=doc({
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}))
    assert message.endswith("because no permissions boundary allows the iam:CreateRole action")


def test_bad_policies_get_aws_errors_and_change_nothing(company):
    with pytest.raises(ClientError) as excinfo:
        company.org.create_policy(Name="broken", Type="SERVICE_CONTROL_POLICY", Description="x",
                                  Content='{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe"}]}')
    assert excinfo.value.response["Error"]["Code"] == "MalformedPolicyDocumentException"
    names = [p["Name"] for p in company.org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]]
    assert "broken" not in names
    prod = company.session(company.admin_of("prod"), "iam")
    with pytest.raises(ClientError) as excinfo:
        prod.create_role(RoleName="bad-trust", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}))
    assert excinfo.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    with pytest.raises(ClientError):
        prod.get_role(RoleName="bad-trust")


def test_a_member_account_cannot_run_the_organization(company):
    prod_org = company.session(company.admin_of("prod"), "organizations")
    with pytest.raises(ClientError) as excinfo:
        prod_org.create_account(Email="x@example.com", AccountName="rogue")
    assert excinfo.value.response["Error"]["Code"] == "AccessDeniedException"
