#include <gtest/gtest.h>

#include "protocol/families.hpp"
#include "protocol/model.hpp"

using namespace terrarium;
using namespace terrarium::protocol;
namespace json = boost::json;

namespace {

const Protocol& family() { return query_protocol(); }

http::Request form_post(std::string body) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = std::move(body);
  return r;
}

const ServiceModel& sts() { return *embedded_model("sts"); }
const ServiceModel& iam() { return *embedded_model("iam"); }

// A hand-made model with the XML traits real query models rarely combine.
const ServiceModel& traits_model() {
  static const ServiceModel model(
      "traits",
      json::parse(R"({"protocol":"query","apiVersion":"2020-01-08",
                      "xmlNamespace":"https://example.com/doc/"})")
          .as_object(),
      json::parse(R"({
        "Out": {"type":"structure","members":{
          "Flat": {"shape":"Strings","flattened":true},
          "Named": {"shape":"Strings","locationName":"renamed"},
          "Pairs": {"shape":"Pairs"},
          "FlatPairs": {"shape":"Pairs","flattened":true,"locationName":"KV"},
          "When": {"shape":"Time"},
          "Epoch": {"shape":"Time","timestampFormat":"unixTimestamp"},
          "Data": {"shape":"Blob"},
          "Ratio": {"shape":"Double"}}},
        "In": {"type":"structure","members":{
          "Flat": {"shape":"Strings","flattened":true},
          "Items": {"shape":"Items"},
          "Pairs": {"shape":"Pairs"},
          "FlatPairs": {"shape":"Pairs","flattened":true,"locationName":"KV"},
          "Count": {"shape":"Integer"},
          "Ratio": {"shape":"Double"},
          "On": {"shape":"Boolean"},
          "When": {"shape":"Time"},
          "Epoch": {"shape":"Time","timestampFormat":"unixTimestamp"},
          "Data": {"shape":"Blob"}}},
        "Strings": {"type":"list","member":{"shape":"String"}},
        "Items": {"type":"list","member":{"shape":"Item","locationName":"item"}},
        "Item": {"type":"structure","members":{"Name":{"shape":"String"}}},
        "Pairs": {"type":"map","key":{"shape":"String","locationName":"K"},
                  "value":{"shape":"String","locationName":"V"}},
        "Oops": {"type":"structure","members":{"Message":{"shape":"String"},
                 "Detail":{"shape":"String"}},"exception":true,
                 "error":{"code":"OopsCode","httpStatusCode":409,"senderFault":true}},
        "String": {"type":"string"}, "Integer": {"type":"integer"},
        "Double": {"type":"double"}, "Boolean": {"type":"boolean"},
        "Time": {"type":"timestamp"}, "Blob": {"type":"blob"}})")
          .as_object(),
      json::parse(R"({"Op": {"name":"Op","http":{"method":"POST","requestUri":"/"},
                      "input":{"shape":"In"},
                      "output":{"shape":"Out","resultWrapper":"OpResult"},
                      "errors":[{"shape":"Oops"}]}})")
          .as_object());
  return model;
}

}  // namespace

TEST(QueryProtocol, ParsesFormBodyByInputShape) {
  const auto& model = sts();
  const auto* op = model.operation("AssumeRole");
  const Value v = family().parse_request(
      model, *op,
      form_post("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012"
                "%3Arole%2Fdemo&RoleSessionName=my+session&DurationSeconds=3600"
                "&PolicyArns.member.1.arn=arn%3Aa&PolicyArns.member.2.arn=arn%3Ab"
                "&Tags.member.1.Key=team&Tags.member.1.Value=a%2Bb&Unknown.member.1=x"));
  EXPECT_EQ(v, json::parse(R"({"RoleArn":"arn:aws:iam::123456789012:role/demo",
      "RoleSessionName":"my session","DurationSeconds":3600,
      "PolicyArns":[{"arn":"arn:a"},{"arn":"arn:b"}],
      "Tags":[{"Key":"team","Value":"a+b"}]})"));
}

TEST(QueryProtocol, ParsesGetQueryString) {
  const auto& model = sts();
  http::Request r;
  r.method = "GET";
  r.target = "/?Action=GetSessionToken&Version=2011-06-15&DurationSeconds=900&SerialNumber=a%20b";
  const Value v = family().parse_request(model, *model.operation("GetSessionToken"), r);
  EXPECT_EQ(v, json::parse(R"({"DurationSeconds":900,"SerialNumber":"a b"})"));
}

TEST(QueryProtocol, OrdersListItemsByIndexAndReadsEmptyLists) {
  const auto& model = traits_model();
  const Value v = family().parse_request(
      model, *model.operation("Op"),
      form_post("Flat.10=c&Flat.2=b&Flat.1=a&Items.item.2.Name=y&Items.item.1.Name=x"));
  EXPECT_EQ(v, json::parse(R"({"Flat":["a","b","c"],"Items":[{"Name":"x"},{"Name":"y"}]})"));
  const Value empty = family().parse_request(model, *model.operation("Op"), form_post("Flat="));
  EXPECT_EQ(empty, json::parse(R"({"Flat":[]})"));
}

TEST(QueryProtocol, ParsesMapsAndScalars) {
  const auto& model = traits_model();
  const Value v = family().parse_request(
      model, *model.operation("Op"),
      form_post("Pairs.entry.1.K=a&Pairs.entry.1.V=1&Pairs.entry.2.K=b&Pairs.entry.2.V=2"
                "&KV.1.K=x&KV.1.V=y&Count=-7&Ratio=2.5&On=true&When=2015-01-25T08%3A00%3A00Z"
                "&Epoch=1422172800.5&Data=dmFsdWU%3D"));
  EXPECT_EQ(v, json::parse(R"({"Pairs":{"a":"1","b":"2"},"FlatPairs":{"x":"y"},"Count":-7,
      "Ratio":2.5,"On":true,"When":1422172800,"Epoch":1422172800.5,"Data":"value"})"));
}

TEST(QueryProtocol, RejectsValuesThatDoNotFitTheirType) {
  const auto& model = traits_model();
  const auto* op = model.operation("Op");
  for (const char* body : {"Count=abc", "Count=99999999999", "On=yes", "Ratio=1.5x",
                           "When=yesterday", "Data=%%%"}) {
    try {
      family().parse_request(model, *op, form_post(body));
      ADD_FAILURE() << body << " was accepted";
    } catch (const AwsError& e) {
      EXPECT_EQ(e.code(), "ValidationError") << body;
      EXPECT_EQ(e.http_status(), 400);
    }
  }
}

TEST(QueryProtocol, InflatesGzipBodies) {
  static const unsigned char kGzip[] =
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x73\x4c\x2e\xc9\xcc\xcf\xb3\x75\x4f\x2d\x09\x4e"
      "\x2d\x2e\x06\x32\x43\xf2\xb3\x53\xf3\xd4\xc2\x52\x8b\x40\x1c\x5b\x23\x03\x43\x43\x5d\x03"
      "\x33\x5d\x43\x53\x35\x97\xd2\xa2\x44\x90\xda\xe0\xd4\xe4\xfc\xbc\x94\x62\x5b\x4b\x03\x03"
      "\x00\xb5\x01\xe1\x3b\x3d\x00\x00\x00";
  auto r = form_post(std::string(reinterpret_cast<const char*>(kGzip), sizeof kGzip - 1));
  r.headers.emplace("Content-Encoding", "gzip");
  const auto& model = sts();
  EXPECT_EQ(family().parse_request(model, *model.operation("GetSessionToken"), r),
            json::parse(R"({"DurationSeconds":900})"));
}

TEST(QueryProtocol, SerializesResultInsideWrapper) {
  const auto& model = sts();
  const auto response = family().serialize_response(
      model, *model.operation("GetCallerIdentity"),
      json::parse(R"({"UserId":"AIDA","Account":"123456789012","Arn":"arn:aws:iam::1:user/a&b"})"),
      "req-1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type"), "text/xml");
  EXPECT_EQ(response.body,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            "<GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account>"
            "<Arn>arn:aws:iam::1:user/a&amp;b</Arn></GetCallerIdentityResult>"
            "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
            "</GetCallerIdentityResponse>");
}

TEST(QueryProtocol, SerializesOperationsWithoutOutput) {
  const auto& model = iam();
  const auto response =
      family().serialize_response(model, *model.operation("DeleteUser"), Value(), "req-2");
  EXPECT_EQ(response.body,
            "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            "<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>"
            "</DeleteUserResponse>");
}

TEST(QueryProtocol, SerializesXmlTraits) {
  const auto& model = traits_model();
  const auto response = family().serialize_response(
      model, *model.operation("Op"),
      json::parse(R"({"Flat":["a","b"],"Named":["c"],"Pairs":{"k":"v"},"FlatPairs":{"x":"y"},
                      "When":1398796238.5,"Epoch":1398796238,"Data":"value","Ratio":1.25})"),
      "r");
  EXPECT_EQ(response.body,
            "<OpResponse xmlns=\"https://example.com/doc/\"><OpResult>"
            "<Flat>a</Flat><Flat>b</Flat><renamed><member>c</member></renamed>"
            "<Pairs><entry><K>k</K><V>v</V></entry></Pairs><KV><K>x</K><V>y</V></KV>"
            "<When>2014-04-29T18:30:38.500Z</When><Epoch>1398796238</Epoch>"
            "<Data>dmFsdWU=</Data><Ratio>1.25</Ratio></OpResult>"
            "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></OpResponse>");
}

TEST(QueryProtocol, EscapesCarriageReturns) {
  const auto& model = sts();
  const auto response = family().serialize_response(
      model, *model.operation("GetCallerIdentity"), json::parse(R"({"UserId":"a\r\nb"})"), "r");
  EXPECT_NE(response.body.find("<UserId>a&#13;\nb</UserId>"), std::string::npos);
}

TEST(QueryProtocol, SerializesErrors) {
  const auto& model = iam();
  AwsError error("NoSuchEntity", "The user with name bob cannot be found.", 404);
  const auto response = family().serialize_error(model, model.operation("GetUser"), error, "r");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body,
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
            "<Type>Sender</Type><Code>NoSuchEntity</Code>"
            "<Message>The user with name bob cannot be found.</Message></Error>"
            "<RequestId>r</RequestId></ErrorResponse>");

  AwsError internal("ServiceFailure", "boom", 500, false);
  EXPECT_NE(family().serialize_error(model, nullptr, internal, "r").body.find(
                "<Type>Receiver</Type>"),
            std::string::npos);
}

TEST(QueryProtocol, SerializesModeledErrorFieldsAndQueryCode) {
  const auto& model = traits_model();
  AwsError error("Oops", "bad", 409);
  error.with_field("Detail", "more");
  const auto response = family().serialize_error(model, model.operation("Op"), error, "r");
  EXPECT_NE(response.body.find("<Code>OopsCode</Code><Message>bad</Message><Detail>more</Detail>"),
            std::string::npos)
      << response.body;
}

TEST(QueryProtocol, ValidationErrorCode) {
  EXPECT_EQ(family().validation_error_code(), "ValidationError");
}
