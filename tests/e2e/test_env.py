"""`terrarium env`: environments are accounts of the server's organization,
reached with credentials and AWS CLI profiles that the command prints and
writes. The command runs as a user would run it; its output is checked with
boto3 and the AWS CLI."""
import json
import os
import re
import subprocess
import sys

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import BINARY, Server

OTHER_CREDENTIALS = (
    "# keys I keep by hand\n"
    "[default]\n"
    "aws_access_key_id = AKIADEFAULTDEFAULT00\n"
    "aws_secret_access_key = keep-me\n"
    "\n"
    "[work]   \n"
    "aws_access_key_id=AKIAWORKWORKWORK0000\n"
    "aws_secret_access_key=also-keep-me\n"
)
OTHER_CONFIG = (
    "[default]\n"
    "region = eu-west-1\n"
    "\n"
    "; a profile with nested settings\n"
    "[profile work]\n"
    "region = eu-central-1\n"
    "s3 =\n"
    "    max_concurrent_requests = 4\n"
)


@pytest.fixture(scope="module")
def env_server(request):
    """A server of its own, so the organization holds only this file's accounts."""
    s = Server().start()
    request.addfinalizer(s.cleanup)
    require_organizations(s)
    return s


@pytest.fixture(scope="module")
def aws_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("aws-home")
    (home / "credentials").write_text(OTHER_CREDENTIALS)
    (home / "config").write_text(OTHER_CONFIG)
    return home


def require_organizations(server):
    try:
        server.client("organizations").describe_organization()
    except ClientError as e:
        if e.response["Error"]["Code"] == "NotImplemented":
            pytest.skip("this build has no Organizations service yet")


def clean_env(home, **extra):
    """The environment of a user with no AWS variables set, whose AWS files live in `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(home), AWS_CONFIG_FILE=str(home / "config"),
               AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"), AWS_PAGER="")
    env.update(extra)
    return env


def terrarium_env(server, home, *args, check=True, **env):
    out = subprocess.run([BINARY, "env", *args, "--endpoint", server.endpoint],
                         capture_output=True, text=True, env=clean_env(home, **env), timeout=120)
    if check and out.returncode != 0:
        raise AssertionError(f"terrarium env {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out


def create_json(server, home, name, *args, **env):
    return json.loads(terrarium_env(server, home, "create", name, "--output", "json", *args, **env).stdout)


def client_for(server, creds, service):
    return boto3.client(service, endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"],
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def listed(server, home):
    return {a["Name"]: a for a in json.loads(terrarium_env(server, home, "list", "--output", "json").stdout)}


def test_create_prints_credentials_of_the_new_account(env_server, aws_home):
    creds = create_json(env_server, aws_home, "prod")
    assert set(creds) >= {"Name", "AccountId", "AccessKeyId", "SecretAccessKey", "Endpoint", "Region"}
    assert creds["Name"] == "prod"
    assert re.fullmatch(r"\d{12}", creds["AccountId"]) and creds["AccountId"] != "000000000000"
    assert creds["Endpoint"] == env_server.endpoint and creds["Region"] == "us-east-1"

    who = client_for(env_server, creds, "sts").get_caller_identity()
    assert who["Account"] == creds["AccountId"]
    assert who["Arn"] == f"arn:aws:iam::{creds['AccountId']}:user/terrarium-env"
    iam = client_for(env_server, creds, "iam")
    assert "terrarium-env" in [u["UserName"] for u in iam.list_users()["Users"]]
    attached = iam.list_attached_user_policies(UserName="terrarium-env")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/AdministratorAccess"]

    # The organization the command made is the one boto3 sees.
    org = env_server.client("organizations")
    assert org.describe_organization()["Organization"]["MasterAccountId"] == "000000000000"
    accounts = {a["Name"]: a["Id"] for a in org.list_accounts()["Accounts"]}
    assert accounts["prod"] == creds["AccountId"]


def test_text_output_is_a_readable_block(env_server, aws_home):
    out = terrarium_env(env_server, aws_home, "create", "prod").stdout
    account = listed(env_server, aws_home)["prod"]["AccountId"]
    assert re.search(rf"account id\s+{account}", out)
    assert re.search(r"access key id\s+AKIA[A-Z0-9]{16}", out)
    assert re.search(r"secret access key\s+\S{20,}", out)


def test_create_is_idempotent_and_keeps_at_most_two_keys(env_server, aws_home):
    first = create_json(env_server, aws_home, "prod")
    second = create_json(env_server, aws_home, "prod")
    third = create_json(env_server, aws_home, "prod")
    assert first["AccountId"] == second["AccountId"] == third["AccountId"]
    assert list(listed(env_server, aws_home)).count("prod") == 1
    iam = client_for(env_server, third, "iam")
    keys = [k["AccessKeyId"] for k in iam.list_access_keys(UserName="terrarium-env")["AccessKeyMetadata"]]
    # AWS allows two keys per user: the oldest made way for the newest.
    assert len(keys) == 2 and third["AccessKeyId"] in keys and second["AccessKeyId"] in keys
    assert first["AccessKeyId"] not in keys


def test_profile_works_with_boto3_and_the_cli(env_server, aws_home, monkeypatch):
    creds = create_json(env_server, aws_home, "prod", "--profile")
    assert creds["Profile"] == "prod"
    credentials = (aws_home / "credentials").read_text()
    config = (aws_home / "config").read_text()
    # Every other section stays byte for byte; ours is appended.
    assert credentials.startswith(OTHER_CREDENTIALS)
    assert config.startswith(OTHER_CONFIG)
    assert f"[prod]\naws_access_key_id = {creds['AccessKeyId']}\n" in credentials
    assert f"[profile prod]\nregion = us-east-1\nendpoint_url = {env_server.endpoint}\n" in config

    for k in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws_home / "credentials"))
    session = boto3.Session(profile_name="prod")
    who = session.client("sts").get_caller_identity()  # endpoint_url comes from the profile
    assert who["Account"] == creds["AccountId"]
    assert who["Arn"].endswith(":user/terrarium-env")

    cli = subprocess.run([sys.executable, "-m", "awscli", "sts", "get-caller-identity", "--profile", "prod"],
                         capture_output=True, text=True, env=clean_env(aws_home), timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Account"] == creds["AccountId"]

    # Writing the profile again replaces it in place.
    again = create_json(env_server, aws_home, "prod", "--profile")
    credentials = (aws_home / "credentials").read_text()
    assert credentials.count("[prod]") == 1 and again["AccessKeyId"] in credentials
    assert creds["AccessKeyId"] not in credentials
    assert credentials.startswith(OTHER_CREDENTIALS)


def test_named_profile_and_name_from_profile(env_server, aws_home):
    creds = create_json(env_server, aws_home, "stage", "--profile", "staging")
    assert creds["Profile"] == "staging"
    assert "[profile staging]\n" in (aws_home / "config").read_text()
    # `env create --profile NAME` alone names both.
    out = terrarium_env(env_server, aws_home, "create", "--profile", "qa", "--output", "json")
    assert json.loads(out.stdout)["Name"] == "qa"
    assert "[qa]\n" in (aws_home / "credentials").read_text()


def test_list_shows_every_environment(env_server, aws_home):
    create_json(env_server, aws_home, "prod")
    create_json(env_server, aws_home, "stage")
    envs = listed(env_server, aws_home)
    assert envs["prod"]["Status"] == envs["stage"]["Status"] == "ACTIVE"
    assert envs["prod"]["AccountId"] != envs["stage"]["AccountId"]
    table = terrarium_env(env_server, aws_home, "list").stdout.splitlines()
    assert table[0].split() == ["NAME", "ACCOUNT_ID", "STATUS"]
    rows = {line.split()[0]: line.split() for line in table[1:]}
    assert rows["prod"] == ["prod", envs["prod"]["AccountId"], "ACTIVE"]
    assert rows["stage"][1] == envs["stage"]["AccountId"]


def test_remove_closes_the_account_and_its_profile(env_server, aws_home):
    creds = create_json(env_server, aws_home, "doomed", "--profile")
    before_credentials = (aws_home / "credentials").read_text()
    assert "[doomed]" in before_credentials
    out = terrarium_env(env_server, aws_home, "remove", "doomed", "--profile")
    assert creds["AccountId"] in out.stdout
    gone = listed(env_server, aws_home).get("doomed")
    assert gone is None or gone["Status"] != "ACTIVE"
    credentials = (aws_home / "credentials").read_text()
    config = (aws_home / "config").read_text()
    assert "[doomed]" not in credentials and "[profile doomed]" not in config
    assert credentials.startswith(OTHER_CREDENTIALS) and config.startswith(OTHER_CONFIG)
    assert "[prod]" in credentials  # other environments' profiles stay

    # The name can be used again: a new account.
    again = create_json(env_server, aws_home, "doomed")
    assert again["AccountId"] != creds["AccountId"]


def test_unknown_environment_is_a_clear_error(env_server, aws_home):
    out = terrarium_env(env_server, aws_home, "remove", "no-such-env", check=False)
    assert out.returncode == 1
    assert "no-such-env" in out.stderr


def test_server_errors_show_code_and_message(env_server, aws_home):
    # A member account's credentials cannot manage the organization.
    member = create_json(env_server, aws_home, "prod")
    out = terrarium_env(env_server, aws_home, "create", "sneaky", check=False,
                        AWS_ACCESS_KEY_ID=member["AccessKeyId"], AWS_SECRET_ACCESS_KEY=member["SecretAccessKey"])
    assert out.returncode != 0
    assert re.search(r"terrarium env: \w+: \S", out.stderr), out.stderr


def test_unreachable_server(aws_home):
    out = subprocess.run([BINARY, "env", "list", "--endpoint", "http://127.0.0.1:9"],
                         capture_output=True, text=True, env=clean_env(aws_home), timeout=60)
    assert out.returncode == 1 and "not reachable" in out.stderr


def test_under_verified_signatures(make_server, tmp_path):
    s = make_server(["--verify-signatures"])
    require_organizations(s)
    creds = create_json(s, tmp_path, "prod", "--profile")
    who = client_for(s, creds, "sts").get_caller_identity()
    assert who["Account"] == creds["AccountId"] and who["Arn"].endswith(":user/terrarium-env")
    session = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])
    assert session.client("iam", endpoint_url=s.endpoint, region_name="us-east-1").list_users()["Users"]
    envs = listed(s, tmp_path)
    assert envs["prod"]["AccountId"] == creds["AccountId"]

    # A wrong management secret is refused, with AWS's words.
    out = terrarium_env(s, tmp_path, "list", "--secret-key", "wrong", check=False)
    assert out.returncode == 1
    assert "InvalidSignatureException" in out.stderr or "SignatureDoesNotMatch" in out.stderr


def test_under_enforced_iam(make_server, tmp_path):
    # The command goes in as an administrator would: root of the management
    # account, then the role Organizations trusts it through.
    s = make_server(["--enforce-iam"])
    require_organizations(s)
    creds = create_json(s, tmp_path, "prod")
    iam = client_for(s, creds, "iam")
    assert "terrarium-env" in [u["UserName"] for u in iam.list_users()["Users"]]
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                       "Action": "sts:AssumeRole"}]}))
    assert client_for(s, creds, "sts").get_caller_identity()["Account"] == creds["AccountId"]
