#include <gtest/gtest.h>

#include "protocol/families.hpp"
#include "protocol/model.hpp"

using namespace terrarium;
using namespace terrarium::protocol;
namespace json = boost::json;

namespace {

const Protocol& family() { return ec2_protocol(); }
const ServiceModel& ec2() { return *embedded_model("ec2"); }

http::Request form_post(std::string body) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST(Ec2Protocol, ParsesRunInstances) {
  const auto& model = ec2();
  const Value v = family().parse_request(
      model, *model.operation("RunInstances"),
      form_post("Action=RunInstances&Version=2016-11-15&ImageId=ami-12345678&MinCount=1"
                "&MaxCount=2&InstanceType=t3.micro&SecurityGroupId.1=sg-1&SecurityGroupId.2=sg-2"
                "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name"
                "&TagSpecification.1.Tag.1.Value=web+1&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda"
                "&BlockDeviceMapping.1.Ebs.VolumeSize=20&BlockDeviceMapping.1.Ebs.DeleteOnTermination=true"
                "&DryRun=false&UserData=ZWNobyBoaQ%3D%3D"));
  // UserData is a string in the model (base64 text the caller chose), not a blob.
  EXPECT_EQ(v, json::parse(R"({"ImageId":"ami-12345678","MinCount":1,"MaxCount":2,
      "InstanceType":"t3.micro","SecurityGroupIds":["sg-1","sg-2"],
      "TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"web 1"}]}],
      "BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":20,"DeleteOnTermination":true}}],
      "DryRun":false,"UserData":"ZWNobyBoaQ=="})"));
}

TEST(Ec2Protocol, ParsesFiltersAndIds) {
  const auto& model = ec2();
  const Value v = family().parse_request(
      model, *model.operation("DescribeInstances"),
      form_post("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2"
                "&Filter.1.Name=tag%3AName&Filter.1.Value.1=a&Filter.1.Value.2=b&MaxResults=5"
                "&Filter.2.Name=vpc-id&Filter.2.Value.1=vpc-1"));
  EXPECT_EQ(v, json::parse(R"({"InstanceIds":["i-1","i-2"],"MaxResults":5,
      "Filters":[{"Name":"tag:Name","Values":["a","b"]},{"Name":"vpc-id","Values":["vpc-1"]}]})"));
}

TEST(Ec2Protocol, RejectsBadValuesWithInvalidParameterValue) {
  const auto& model = ec2();
  try {
    family().parse_request(model, *model.operation("DescribeInstances"),
                           form_post("Action=DescribeInstances&MaxResults=abc"));
    FAIL() << "accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "InvalidParameterValue");
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_NE(e.message().find("MaxResults"), std::string::npos);
  }
  EXPECT_EQ(family().validation_error_code(), "InvalidParameterValue");
}

// Members come out in the model's order, named by their locationName.
TEST(Ec2Protocol, SerializesMembersBesideRequestId) {
  const auto& model = ec2();
  const auto response = family().serialize_response(
      model, *model.operation("DescribeVpcs"),
      json::parse(R"({"Vpcs":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16","IsDefault":false,
                               "Tags":[{"Key":"Name","Value":"main"}]}]})"),
      "req-1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            "<requestId>req-1</requestId><vpcSet><item><isDefault>false</isDefault>"
            "<tagSet><item><key>Name</key><value>main</value></item></tagSet>"
            "<vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock></item></vpcSet>"
            "</DescribeVpcsResponse>");
}

TEST(Ec2Protocol, SerializesErrors) {
  const auto& model = ec2();
  AwsError error("InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist", 400);
  const auto response =
      family().serialize_error(model, model.operation("DescribeVpcs"), error, "req-9");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error>"
            "<Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-1' does not exist</Message>"
            "</Error></Errors><RequestID>req-9</RequestID></Response>");
}

TEST(Ec2Protocol, AnswersReturnTrueForOperationsWithoutOutput) {
  const auto& model = ec2();
  const auto* op = model.operation("DeleteVpc");
  ASSERT_EQ(op->output, nullptr);
  const auto response = family().serialize_response(model, *op, Value(), "r");
  EXPECT_EQ(response.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<DeleteVpcResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            "<requestId>r</requestId><return>true</return></DeleteVpcResponse>");
}
