"""The policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) answers
from the same evaluation that enforces requests; and, under --enforce-iam,
the unsigned web identity and SAML flows need the role's trust policy."""
import base64
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import Server
from aws_helpers import unique

ACCOUNT = "000000000000"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture(scope="module")
def iam(server):
    return server.client("iam")


def by_action(results):
    return {r["EvalActionName"]: r for r in results["EvaluationResults"]}


def test_custom_policy_allow_deny_and_implicit_deny(iam):
    policy = doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                 {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"})
    results = by_action(iam.simulate_custom_policy(
        PolicyInputList=[policy], ActionNames=["s3:GetObject", "s3:DeleteBucket", "ec2:RunInstances"]))
    assert results["s3:GetObject"]["EvalDecision"] == "allowed"
    assert results["s3:DeleteBucket"]["EvalDecision"] == "explicitDeny"
    assert results["ec2:RunInstances"]["EvalDecision"] == "implicitDeny"
    matched = results["s3:DeleteBucket"]["MatchedStatements"]
    assert [m["SourcePolicyId"] for m in matched] == ["PolicyInputList.1"]
    assert results["ec2:RunInstances"]["MatchedStatements"] == []


def test_custom_policy_resources_and_context(iam):
    policy = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*",
                  "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})
    result = iam.simulate_custom_policy(
        PolicyInputList=[policy], ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::logs/a.txt", "arn:aws:s3:::secret/b.txt"],
        ContextEntries=[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"],
                         "ContextKeyType": "ip"}])["EvaluationResults"]
    assert len(result) == 1
    per_resource = {r["EvalResourceName"]: r["EvalResourceDecision"] for r in result[0]["ResourceSpecificResults"]}
    assert per_resource == {"arn:aws:s3:::logs/a.txt": "allowed", "arn:aws:s3:::secret/b.txt": "implicitDeny"}
    assert result[0]["EvalDecision"] == "implicitDeny"  # the most restrictive
    missing = iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"],
                                         ResourceArns=["arn:aws:s3:::logs/a.txt"])["EvaluationResults"][0]
    assert missing["EvalDecision"] == "implicitDeny"
    assert missing["MissingContextValues"] == ["aws:SourceIp"]


def test_principal_policy_includes_groups_managed_policies_and_boundary(iam):
    user, group = unique("sim"), unique("simgroup")
    boundary = iam.create_policy(PolicyName=unique("b"), PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["iam:List*", "s3:*"], "Resource": "*"}))["Policy"]["Arn"]
    iam.create_user(UserName=user, PermissionsBoundary=boundary)
    iam.create_group(GroupName=group)
    iam.add_user_to_group(GroupName=group, UserName=user)
    iam.put_group_policy(GroupName=group, PolicyName="list", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))
    iam.attach_user_policy(UserName=user, PolicyArn="arn:aws:iam::aws:policy/AmazonEC2FullAccess")
    arn = f"arn:aws:iam::{ACCOUNT}:user/{user}"
    results = by_action(iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["iam:ListUsers", "ec2:RunInstances", "iam:ListRoles"]))
    listed = results["iam:ListUsers"]
    assert listed["EvalDecision"] == "allowed"
    assert listed["MatchedStatements"][0]["SourcePolicyId"] == "list"
    assert listed["MatchedStatements"][0]["SourcePolicyType"] == "group"
    assert listed["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}
    # Allowed by the identity policy, not by the boundary.
    assert results["ec2:RunInstances"]["EvalDecision"] == "implicitDeny"
    assert results["ec2:RunInstances"]["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}
    assert results["iam:ListRoles"]["EvalDecision"] == "implicitDeny"
    # Extra policies from the input join the principal's.
    extra = by_action(iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["iam:ListRoles"],
        PolicyInputList=[doc({"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"})]))
    assert extra["iam:ListRoles"]["EvalDecision"] == "allowed"


def test_principal_policy_pagination(iam):
    arn = iam.create_role(RoleName=unique("simrole"), AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    actions = [f"s3:Action{i}" for i in range(5)]
    first = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=actions, MaxItems=3)
    assert [r["EvalActionName"] for r in first["EvaluationResults"]] == actions[:3]
    assert first["IsTruncated"]
    rest = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=actions, Marker=first["Marker"])
    assert [r["EvalActionName"] for r in rest["EvaluationResults"]] == actions[3:]


def test_simulation_errors(iam):
    with pytest.raises(ClientError) as excinfo:
        iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/{unique('ghost')}",
                                      ActionNames=["s3:GetObject"])
    assert excinfo.value.response["Error"]["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as excinfo:
        iam.simulate_custom_policy(PolicyInputList=['{"Version": "2012-10-17"}'], ActionNames=["s3:GetObject"])
    assert excinfo.value.response["Error"]["Code"] == "MalformedPolicyDocument"


def jwt(claims):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2ln"


def test_web_identity_needs_the_trust_policy_under_enforcement():
    server = Server(["--enforce-iam"]).start()
    try:
        iam = server.client("iam")
        provider = "token.actions.githubusercontent.com"
        trust = doc({"Effect": "Allow", "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{provider}"},
                     "Action": "sts:AssumeRoleWithWebIdentity",
                     "Condition": {"StringLike": {f"{provider}:sub": "repo:acme/app:*"}}})
        role = iam.create_role(RoleName="github", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        sts = server.client("sts")
        good = jwt({"iss": f"https://{provider}", "sub": "repo:acme/app:ref:refs/heads/main", "aud": "sts.amazonaws.com",
                    "exp": int(time.time()) + 600})
        creds = sts.assume_role_with_web_identity(RoleArn=role, RoleSessionName="ci", WebIdentityToken=good)
        assert creds["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/github/ci"
        bad = jwt({"iss": f"https://{provider}", "sub": "repo:evil/app:ref:refs/heads/main", "aud": "sts.amazonaws.com",
                   "exp": int(time.time()) + 600})
        with pytest.raises(ClientError) as excinfo:
            sts.assume_role_with_web_identity(RoleArn=role, RoleSessionName="ci", WebIdentityToken=bad)
        assert excinfo.value.response["Error"]["Code"] == "AccessDenied"
        assert excinfo.value.response["Error"]["Message"] == "Not authorized to perform sts:AssumeRoleWithWebIdentity"
    finally:
        server.cleanup()
