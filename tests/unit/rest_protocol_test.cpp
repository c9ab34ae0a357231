// The rest-json and rest-xml families against the embedded models of the
// services that speak them (S3, Lambda, EKS, Route 53).
#include <gtest/gtest.h>

#include "core/aws_error.hpp"
#include "protocol/families.hpp"

namespace terrarium::protocol {
namespace {

namespace json = boost::json;

http::Request make_request(std::string method, std::string target, std::string body = {},
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  for (auto& [k, v] : headers) r.headers.emplace(k, v);
  return r;
}

struct Fixture {
  const ServiceModel* model;
  const Operation* op;
};

std::optional<Fixture> fixture(const char* service, const char* operation) {
  const ServiceModel* model = embedded_model(service);
  if (!model) return std::nullopt;
  const Operation* op = model->operation(operation);
  if (!op) return std::nullopt;
  return Fixture{model, op};
}

#define REQUIRE_OP(var, service, operation)                         \
  auto var##_opt = fixture(service, operation);                     \
  if (!var##_opt) GTEST_SKIP() << service << " model not embedded"; \
  const ServiceModel& var##_model = *var##_opt->model;              \
  const Operation& var = *var##_opt->op;                            \
  (void)var##_model

// ---------------------------------------------------------------------------
// rest-xml: S3

TEST(RestXmlS3, PutObjectBindingsAndRawBody) {
  REQUIRE_OP(op, "s3", "PutObject");
  auto req = make_request("PUT", "/my-bucket/dir/file%20name.txt?x-id=PutObject", "hello world",
                          {{"Content-Type", "text/plain"},
                           {"x-amz-meta-Owner", "alice"},
                           {"x-amz-meta-team", "infra"},
                           {"Content-Length", "11"},
                           {"x-amz-tagging", "a=b"}});
  Value in = rest_xml_protocol().parse_request(op_model, op, req);
  const auto& o = in.as_object();
  EXPECT_EQ(o.at("Bucket").as_string(), "my-bucket");
  EXPECT_EQ(o.at("Key").as_string(), "dir/file name.txt");
  EXPECT_EQ(o.at("Body").as_string(), "hello world");
  EXPECT_EQ(o.at("ContentType").as_string(), "text/plain");
  EXPECT_EQ(o.at("ContentLength").as_int64(), 11);
  EXPECT_EQ(o.at("Tagging").as_string(), "a=b");
  EXPECT_EQ(o.at("Metadata").at("Owner").as_string(), "alice");
  EXPECT_EQ(o.at("Metadata").at("team").as_string(), "infra");
}

TEST(RestXmlS3, AwsChunkedBodyIsDecoded) {
  REQUIRE_OP(op, "s3", "PutObject");
  auto req =
      make_request("PUT", "/b/k", "5;chunk-signature=aa\r\nhello\r\n0;chunk-signature=bb\r\n\r\n",
                   {{"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
                    {"Content-Encoding", "aws-chunked"},
                    {"x-amz-decoded-content-length", "5"}});
  Value in = rest_xml_protocol().parse_request(op_model, op, req);
  EXPECT_EQ(in.at("Body").as_string(), "hello");
  // aws-chunked is the transport's encoding, not the object's.
  EXPECT_FALSE(in.as_object().contains("ContentEncoding"));
  req.headers.erase("Content-Encoding");
  req.headers.emplace("Content-Encoding", "gzip,aws-chunked");
  in = rest_xml_protocol().parse_request(op_model, op, req);
  EXPECT_EQ(in.at("ContentEncoding").as_string(), "gzip");
}

TEST(RestXmlS3, BadHeaderNumberIsInvalidArgument) {
  REQUIRE_OP(op, "s3", "PutObject");
  auto req = make_request("PUT", "/b/k", "x", {{"Content-Length", "abc"}});
  try {
    rest_xml_protocol().parse_request(op_model, op, req);
    FAIL() << "expected AwsError";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "InvalidArgument");
    EXPECT_EQ(e.http_status(), 400);
  }
}

TEST(RestXmlS3, MalformedXmlBody) {
  REQUIRE_OP(op, "s3", "PutBucketTagging");
  auto req = make_request("PUT", "/b?tagging", "<Tagging><TagSet><Tag>", {});
  try {
    rest_xml_protocol().parse_request(op_model, op, req);
    FAIL() << "expected AwsError";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "MalformedXML");
    EXPECT_EQ(e.http_status(), 400);
  }
}

TEST(RestXmlS3, StructurePayloadRequest) {
  REQUIRE_OP(op, "s3", "PutBucketTagging");
  auto req = make_request(
      "PUT", "/b?tagging",
      R"(<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>env</Key><Value>prod</Value></Tag></TagSet></Tagging>)");
  Value in = rest_xml_protocol().parse_request(op_model, op, req);
  EXPECT_EQ(in.at("Bucket").as_string(), "b");
  const auto& tags = in.at("Tagging").at("TagSet").as_array();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].at("Key").as_string(), "env");
}

TEST(RestXmlS3, ListObjectsV2ResponseUsesS3RootAndNamespace) {
  REQUIRE_OP(op, "s3", "ListObjectsV2");
  Value out = json::parse(R"({"Name": "b", "KeyCount": 1, "IsTruncated": false,
      "Contents": [{"Key": "a.txt", "Size": 3, "LastModified": 1576540098}]})");
  auto resp = rest_xml_protocol().serialize_response(op_model, op, out, "req-1");
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.header("x-amz-request-id").value_or(""), "req-1");
  EXPECT_TRUE(resp.header("x-amz-id-2"));
  EXPECT_EQ(resp.header("Content-Type").value_or(""), "application/xml");
  EXPECT_NE(resp.body.find("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
            std::string::npos)
      << resp.body;
  EXPECT_NE(resp.body.find("<Contents><Key>a.txt</Key>"), std::string::npos) << resp.body;
  EXPECT_NE(resp.body.find("<LastModified>2019-12-16T23:48:18Z</LastModified>"), std::string::npos);
}

TEST(RestXmlS3, GetBucketLocationIsBareText) {
  REQUIRE_OP(op, "s3", "GetBucketLocation");
  auto resp = rest_xml_protocol().serialize_response(
      op_model, op, json::parse(R"({"LocationConstraint": "eu-west-1"})"), "r");
  EXPECT_NE(resp.body.find(">eu-west-1</LocationConstraint>"), std::string::npos) << resp.body;
}

TEST(RestXmlS3, GetObjectRawPayloadAndHeaders) {
  REQUIRE_OP(op, "s3", "GetObject");
  auto resp = rest_xml_protocol().serialize_response(
      op_model, op, json::parse(R"({"Body": "bytes", "ContentType": "image/png", "ContentLength": 5,
                      "ETag": "\"abc\"", "LastModified": 1576540098,
                      "Metadata": {"owner": "alice"}})"),
      "r");
  EXPECT_EQ(resp.body, "bytes");
  EXPECT_EQ(resp.header("Content-Type").value_or(""), "image/png");
  EXPECT_EQ(resp.header("ETag").value_or(""), "\"abc\"");
  EXPECT_EQ(resp.header("Last-Modified").value_or(""), "Mon, 16 Dec 2019 23:48:18 GMT");
  EXPECT_EQ(resp.header("x-amz-meta-owner").value_or(""), "alice");
}

TEST(RestXmlS3, HeaderValuesCannotSplitTheResponse) {
  REQUIRE_OP(op, "s3", "HeadObject");
  auto resp = rest_xml_protocol().serialize_response(
      op_model, op,
      json::parse(R"({"ContentType": "text/plain\r\nX-Evil: 1",
                      "Metadata": {"ok": "a\nb", "bad name": "x"}})"),
      "r");
  EXPECT_EQ(resp.header("Content-Type").value_or(""), "text/plain  X-Evil: 1");
  EXPECT_EQ(resp.header("x-amz-meta-ok").value_or(""), "a b");
  EXPECT_FALSE(resp.header("x-amz-meta-bad name"));
  EXPECT_FALSE(resp.header("X-Evil"));
}

TEST(RestXmlS3, ErrorIsBareErrorDocumentWithModeledStatus) {
  REQUIRE_OP(op, "s3", "ListObjects");
  AwsError error("NoSuchBucket", "The specified bucket does not exist");
  error.with_field("BucketName", "nope");
  auto resp = rest_xml_protocol().serialize_error(op_model, &op, error, "req-9");
  EXPECT_EQ(resp.status, 404);  // from the model's NoSuchBucket shape
  EXPECT_EQ(resp.header("x-amz-request-id").value_or(""), "req-9");
  EXPECT_NE(resp.body.find("<Error><Code>NoSuchBucket</Code><Message>The specified bucket does "
                           "not exist</Message>"),
            std::string::npos)
      << resp.body;
  EXPECT_NE(resp.body.find("<RequestId>req-9</RequestId>"), std::string::npos);
  EXPECT_EQ(resp.body.find("ErrorResponse"), std::string::npos);
}

TEST(RestXmlS3, HeadErrorHasNoBody) {
  REQUIRE_OP(op, "s3", "HeadObject");
  auto resp = rest_xml_protocol().serialize_error(op_model, &op,
                                                  AwsError("NotFound", "Not Found", 404), "r");
  EXPECT_EQ(resp.status, 404);
  EXPECT_TRUE(resp.body.empty());
}

TEST(RestXmlS3, ErrorWithoutOperation) {
  const ServiceModel* model = embedded_model("s3");
  if (!model) GTEST_SKIP();
  auto resp = rest_xml_protocol().serialize_error(
      *model, nullptr, AwsError("AccessDenied", "Access Denied", 403), "r");
  EXPECT_EQ(resp.status, 403);
  EXPECT_NE(resp.body.find("<Code>AccessDenied</Code>"), std::string::npos);
}

// ---------------------------------------------------------------------------
// rest-xml: Route 53 errors use the ErrorResponse envelope

TEST(RestXmlRoute53, ErrorResponseEnvelope) {
  REQUIRE_OP(op, "route53", "GetHostedZone");
  auto resp = rest_xml_protocol().serialize_error(
      op_model, &op, AwsError("NoSuchHostedZone", "No hosted zone found with ID: Z1", 404), "r");
  EXPECT_EQ(resp.status, 404);
  EXPECT_EQ(resp.header("x-amzn-RequestId").value_or(""), "r");
  EXPECT_NE(resp.body.find("<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                           "<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code>"),
            std::string::npos)
      << resp.body;
}

TEST(RestXmlRoute53, RequestBodyAndLabel) {
  REQUIRE_OP(op, "route53", "ChangeResourceRecordSets");
  auto req = make_request("POST", "/2013-04-01/hostedzone/Z123/rrset/",
                          R"(<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <ChangeBatch><Changes><Change><Action>CREATE</Action>
    <ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>300</TTL>
      <ResourceRecords><ResourceRecord><Value>1.2.3.4</Value></ResourceRecord></ResourceRecords>
    </ResourceRecordSet></Change></Changes></ChangeBatch>
</ChangeResourceRecordSetsRequest>)");
  Value in = rest_xml_protocol().parse_request(op_model, op, req);
  EXPECT_EQ(in.at("HostedZoneId").as_string(), "Z123");
  const auto& change = in.at("ChangeBatch").at("Changes").as_array().at(0);
  EXPECT_EQ(change.at("Action").as_string(), "CREATE");
  EXPECT_EQ(change.at("ResourceRecordSet").at("TTL").as_int64(), 300);
}

// ---------------------------------------------------------------------------
// rest-json: Lambda and EKS

TEST(RestJsonLambda, InvokeRawPayloadBothWays) {
  REQUIRE_OP(op, "lambda", "Invoke");
  auto req =
      make_request("POST", "/2015-03-31/functions/my-fn/invocations?Qualifier=prod", R"({"k": 1})",
                   {{"X-Amz-Invocation-Type", "RequestResponse"}, {"X-Amz-Log-Type", "Tail"}});
  Value in = rest_json_protocol().parse_request(op_model, op, req);
  EXPECT_EQ(in.at("FunctionName").as_string(), "my-fn");
  EXPECT_EQ(in.at("Qualifier").as_string(), "prod");
  EXPECT_EQ(in.at("InvocationType").as_string(), "RequestResponse");
  EXPECT_EQ(in.at("Payload").as_string(), R"({"k": 1})");

  auto resp = rest_json_protocol().serialize_response(
      op_model, op,
      json::parse(R"({"StatusCode": 200, "FunctionError": "Unhandled", "Payload": "{\"ok\":true}",
                      "ExecutedVersion": "$LATEST"})"),
      "r");
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, R"({"ok":true})");
  EXPECT_EQ(resp.header("X-Amz-Function-Error").value_or(""), "Unhandled");
  EXPECT_EQ(resp.header("X-Amz-Executed-Version").value_or(""), "$LATEST");
  EXPECT_EQ(resp.header("x-amzn-RequestId").value_or(""), "r");
}

TEST(RestJsonLambda, ResponseCodeFromModel) {
  REQUIRE_OP(op, "lambda", "CreateFunction");
  auto resp = rest_json_protocol().serialize_response(
      op_model, op, json::parse(R"({"FunctionName": "f", "Timeout": 3})"), "r");
  EXPECT_EQ(resp.status, 201);
  EXPECT_EQ(resp.header("Content-Type").value_or(""), "application/json");
  auto body = json::parse(resp.body);
  EXPECT_EQ(body.at("FunctionName").as_string(), "f");
}

TEST(RestJsonLambda, NoBodyWhenNothingInBody) {
  REQUIRE_OP(op, "lambda", "DeleteFunction");
  // Its output has only a statusCode member: the status, and no body.
  auto resp = rest_json_protocol().serialize_response(op_model, op,
                                                      json::parse(R"({"StatusCode": 204})"), "r");
  EXPECT_EQ(resp.status, 204);
  EXPECT_TRUE(resp.body.empty());
  EXPECT_FALSE(resp.header("Content-Type"));
}

TEST(RestJsonLambda, ModeledErrorBodyAndHeader) {
  REQUIRE_OP(op, "lambda", "GetFunction");
  auto resp = rest_json_protocol().serialize_error(
      op_model, &op, AwsError("ResourceNotFoundException", "Function not found: f"), "r");
  EXPECT_EQ(resp.status, 404);
  EXPECT_EQ(resp.header("x-amzn-ErrorType").value_or(""), "ResourceNotFoundException");
  auto body = json::parse(resp.body).as_object();
  EXPECT_EQ(body.at("Message").as_string(), "Function not found: f");
  EXPECT_EQ(body.at("Type").as_string(), "User");
}

TEST(RestJsonLambda, MalformedJson) {
  REQUIRE_OP(op, "lambda", "CreateFunction");
  auto req = make_request("POST", "/2015-03-31/functions", "{not json");
  try {
    rest_json_protocol().parse_request(op_model, op, req);
    FAIL() << "expected AwsError";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "SerializationException");
    EXPECT_EQ(e.http_status(), 400);
  }
}

TEST(RestJsonEks, CreateClusterAndListQuery) {
  REQUIRE_OP(op, "eks", "CreateCluster");
  auto req = make_request("POST", "/clusters",
                          R"({"name": "c1", "roleArn": "arn:aws:iam::000000000000:role/r",
                              "resourcesVpcConfig": {"subnetIds": ["s-1", "s-2"]},
                              "tags": {"env": "dev"}})");
  Value in = rest_json_protocol().parse_request(op_model, op, req);
  EXPECT_EQ(in.at("name").as_string(), "c1");
  EXPECT_EQ(in.at("resourcesVpcConfig").at("subnetIds").as_array().size(), 2u);

  auto list = fixture("eks", "ListClusters");
  ASSERT_TRUE(list);
  Value q = rest_json_protocol().parse_request(
      *list->model, *list->op, make_request("GET", "/clusters?maxResults=10&include=all"));
  EXPECT_EQ(q.at("maxResults").as_int64(), 10);
  EXPECT_EQ(q.at("include").as_array().at(0).as_string(), "all");
}

TEST(RestJsonEks, ErrorWithoutModeledShape) {
  REQUIRE_OP(op, "eks", "DescribeCluster");
  auto resp = rest_json_protocol().serialize_error(
      op_model, &op, AwsError("NotImplemented", "not yet", 501, false), "r");
  EXPECT_EQ(resp.status, 501);
  auto body = json::parse(resp.body).as_object();
  EXPECT_EQ(body.at("message").as_string(), "not yet");
}

TEST(RestFamilies, ValidationCodes) {
  EXPECT_EQ(rest_json_protocol().validation_error_code(), "ValidationException");
  EXPECT_EQ(rest_xml_protocol().validation_error_code(), "InvalidArgument");
}

}  // namespace
}  // namespace terrarium::protocol
