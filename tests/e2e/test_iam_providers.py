"""IAM identity providers (OpenID Connect, SAML) and service-linked roles
through boto3."""
import json
import uuid

import pytest
from botocore.exceptions import ClientError
from aws_helpers import error_of

THUMB = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com"
    validUntil="2031-05-06T07:08:09Z">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>""" + "MIIC" + "A" * 700 + """</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@pytest.fixture
def iam(server):
    account = str(uuid.uuid4().int)[:12].rjust(12, "1")
    client = server.client("iam", access_key=account)
    client.account = account
    return client


# OpenID Connect


def test_oidc_provider_lifecycle(iam):
    created = iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=[THUMB], Tags=[{"Key": "ci", "Value": "github"}])
    arn = created["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{iam.account}:oidc-provider/token.actions.githubusercontent.com"
    assert created["Tags"] == [{"Key": "ci", "Value": "github"}]
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com",
                                            ThumbprintList=[THUMB])
    assert error_of(e)["Code"] == "EntityAlreadyExists"

    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["Url"] == "token.actions.githubusercontent.com"
    assert got["ClientIDList"] == ["sts.amazonaws.com"] and got["ThumbprintList"] == [THUMB]
    assert got["Tags"] == [{"Key": "ci", "Value": "github"}] and "CreateDate" in got

    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="my-app")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="my-app")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="never-there")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["my-app"]
    other = "a" * 40
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=[other])
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ThumbprintList"] == [other]

    iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": "x", "Value": "y"}])
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["ci"])
    assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == [
        {"Key": "x", "Value": "y"}]
    assert [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]] == [arn]
    assert iam.get_account_summary()["SummaryMap"]["Providers"] == 1

    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert error_of(e)["Code"] == "NoSuchEntity"
    assert error_of(e)["Message"] == f"OpenIDConnect Provider not found for arn {arn}"
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []


def test_oidc_provider_validation(iam):
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url="http://insecure.example.com", ThumbprintList=[THUMB])
    assert error_of(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url="https://example.com", ThumbprintList=["z" * 40])
    assert error_of(e)["Code"] == "InvalidInput"
    # A trailing slash names the same provider.
    arn = iam.create_open_id_connect_provider(Url="https://example.com/path/",
                                              ThumbprintList=[THUMB])["OpenIDConnectProviderArn"]
    assert arn.endswith(":oidc-provider/example.com/path")


# SAML


def test_saml_provider_lifecycle(iam):
    created = iam.create_saml_provider(Name="Okta", SAMLMetadataDocument=METADATA,
                                       Tags=[{"Key": "idp", "Value": "okta"}])
    arn = created["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{iam.account}:saml-provider/Okta"
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == METADATA
    assert got["ValidUntil"].year == 2031 and got["Tags"] == [{"Key": "idp", "Value": "okta"}]
    assert len(got["SAMLProviderUUID"]) == 36
    with pytest.raises(ClientError) as e:
        iam.create_saml_provider(Name="Okta", SAMLMetadataDocument=METADATA)
    assert error_of(e)["Code"] == "EntityAlreadyExists"

    listed = iam.list_saml_providers()["SAMLProviderList"]
    assert [p["Arn"] for p in listed] == [arn] and "ValidUntil" in listed[0]

    updated = METADATA.replace("2031-05-06", "2032-01-01")
    assert iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=updated)["SAMLProviderArn"] == arn
    assert iam.get_saml_provider(SAMLProviderArn=arn)["ValidUntil"].year == 2032

    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "team", "Value": "sec"}])
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["idp"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [{"Key": "team", "Value": "sec"}]
    iam.delete_saml_provider(SAMLProviderArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_saml_provider(SAMLProviderArn=arn)
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_saml_provider_rejects_what_is_no_metadata(iam):
    for document in ["not xml at all <<<", "<html><body/></html>"]:
        with pytest.raises(ClientError) as e:
            iam.create_saml_provider(Name="Bad", SAMLMetadataDocument=document * 100)
        assert error_of(e)["Code"] == "InvalidInput"
        assert error_of(e)["Message"] == "Could not parse metadata"
    assert iam.list_saml_providers()["SAMLProviderList"] == []


# Service-linked roles


def test_service_linked_role_lifecycle(iam):
    role = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com",
                                          Description="for the fleet")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForAutoScaling"
    assert role["Path"] == "/aws-service-role/autoscaling.amazonaws.com/"
    assert role["Arn"] == (f"arn:aws:iam::{iam.account}:role/aws-service-role/autoscaling.amazonaws.com/"
                           "AWSServiceRoleForAutoScaling")
    trust = role["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": ["autoscaling.amazonaws.com"]}
    assert role["Description"] == "for the fleet"
    with pytest.raises(ClientError) as e:
        iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    assert error_of(e)["Code"] == "InvalidInput"
    assert error_of(e)["Message"] == ("Service role name AWSServiceRoleForAutoScaling has been taken in this "
                                      "account, please try a different suffix.")
    suffixed = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="web")
    assert suffixed["Role"]["RoleName"] == "AWSServiceRoleForAutoScaling_web"

    # Only the service-linked-role operations may delete it.
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="AWSServiceRoleForAutoScaling")
    assert error_of(e)["Code"] == "UnmodifiableEntity"
    task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForAutoScaling")["DeletionTaskId"]
    assert task.startswith("task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling/")
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName="AWSServiceRoleForAutoScaling")
    assert error_of(e)["Code"] == "NoSuchEntity"


def test_service_linked_role_names_and_errors(iam):
    assert iam.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com")["Role"]["RoleName"] == \
        "AWSServiceRoleForElasticBeanstalk"
    assert iam.create_service_linked_role(AWSServiceName="eks.amazonaws.com")["Role"]["RoleName"] == \
        "AWSServiceRoleForAmazonEKS"
    iam.create_role(RoleName="plain", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))
    with pytest.raises(ClientError) as e:
        iam.delete_service_linked_role(RoleName="plain")
    assert error_of(e)["Code"] == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.delete_service_linked_role(RoleName="nothing")
    assert error_of(e)["Code"] == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.create_service_linked_role(AWSServiceName="not-a-service")
    assert error_of(e)["Code"] == "InvalidInput"
