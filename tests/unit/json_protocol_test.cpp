// The json (1.0/1.1) and smithy-rpc-v2-cbor families, and json_body. The
// AWS protocol test vectors are covered by tests/protocol; these are the
// server-side cases the vectors do not have: bad input, errors, compression.
#include <gtest/gtest.h>

#include <boost/beast/zlib/deflate_stream.hpp>

#include <cmath>

#include "protocol/cbor.hpp"
#include "protocol/content_encoding.hpp"
#include "protocol/families.hpp"
#include "protocol/json_body.hpp"

using namespace terrarium;
using namespace terrarium::protocol;
namespace json = boost::json;

namespace {

json::object test_shapes() {
  return json::parse(R"({
    "Input": {"type": "structure", "members": {
      "Name": {"shape": "String"},
      "Count": {"shape": "Integer"},
      "Big": {"shape": "Long"},
      "Ratio": {"shape": "Double"},
      "On": {"shape": "Boolean"},
      "Data": {"shape": "Blob"},
      "When": {"shape": "Timestamp"},
      "WhenIso": {"shape": "Timestamp", "timestampFormat": "iso8601"},
      "Tags": {"shape": "TagMap"},
      "Items": {"shape": "ItemList"},
      "Renamed": {"shape": "String", "locationName": "wireName"},
      "Doc": {"shape": "Document"},
      "Nested": {"shape": "Input"}
    }},
    "Output": {"type": "structure", "members": {
      "Name": {"shape": "String"},
      "Ratio": {"shape": "Double"},
      "Data": {"shape": "Blob"},
      "When": {"shape": "Timestamp"},
      "WhenIso": {"shape": "Timestamp", "timestampFormat": "iso8601"},
      "Items": {"shape": "ItemList"}
    }},
    "String": {"type": "string"},
    "Integer": {"type": "integer"},
    "Long": {"type": "long"},
    "Double": {"type": "double"},
    "Boolean": {"type": "boolean"},
    "Blob": {"type": "blob"},
    "Timestamp": {"type": "timestamp"},
    "Document": {"type": "structure", "members": {}, "document": true},
    "TagMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
    "ItemList": {"type": "list", "member": {"shape": "Item"}},
    "Item": {"type": "structure", "members": {"Id": {"shape": "Integer"}}},
    "NotFoundException": {"type": "structure", "members": {"Message": {"shape": "String"},
      "ResourceId": {"shape": "String"}}, "exception": true,
      "error": {"code": "ResourceNotFound", "httpStatusCode": 404, "senderFault": true}},
    "BareException": {"type": "structure", "members": {"Reason": {"shape": "String"}},
      "exception": true}
  })").as_object();
}

json::object test_operations() {
  return json::parse(R"({
    "DoThing": {"name": "DoThing", "http": {"method": "POST", "requestUri": "/"},
      "input": {"shape": "Input"}, "output": {"shape": "Output"},
      "errors": [{"shape": "NotFoundException"}, {"shape": "BareException"}]},
    "NoIo": {"name": "NoIo", "http": {"method": "POST", "requestUri": "/"}}
  })").as_object();
}

std::unique_ptr<ServiceModel> make_model(std::string_view protocol, bool query_compatible = false) {
  json::object metadata{{"protocol", protocol}, {"jsonVersion", "1.1"},
                        {"targetPrefix", "TestService"}, {"apiVersion", "2020-01-01"}};
  if (query_compatible) metadata["awsQueryCompatible"] = json::object{};
  return std::make_unique<ServiceModel>("test", std::move(metadata), test_shapes(),
                                        test_operations());
}

http::Request json_request(std::string body, std::string target = "TestService.DoThing") {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers.emplace("Content-Type", "application/x-amz-json-1.1");
  r.headers.emplace("X-Amz-Target", std::move(target));
  r.body = std::move(body);
  return r;
}

Value parse_json(const ServiceModel& m, std::string body, std::string_view op = "DoThing") {
  return json_protocol().parse_request(m, *m.operation(op), json_request(std::move(body)));
}

std::string error_code_of(const ServiceModel& m, std::string body) {
  try {
    parse_json(m, std::move(body));
  } catch (const AwsError& e) {
    EXPECT_EQ(e.http_status(), 400);
    return e.code();
  }
  return "(no error)";
}

// A gzip member around raw deflate data (the CRC is not checked by us).
std::string gzip(std::string_view data) {
  namespace zlib = boost::beast::zlib;
  zlib::deflate_stream deflater;
  deflater.reset(6, 15, 8, zlib::Strategy::normal);
  std::string out(data.size() + 1024, '\0');
  zlib::z_params zs;
  zs.next_in = data.data();
  zs.avail_in = data.size();
  zs.next_out = out.data();
  zs.avail_out = out.size();
  boost::system::error_code ec;
  deflater.write(zs, zlib::Flush::finish, ec);
  out.resize(out.size() - zs.avail_out);
  std::string header("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  const auto n = static_cast<uint32_t>(data.size());
  std::string trailer(4, '\0');
  for (int i = 0; i < 4; ++i) trailer += static_cast<char>((n >> (8 * i)) & 0xff);
  return header + out + trailer;
}

}  // namespace

TEST(JsonProtocol, ParsesEveryScalarKind) {
  auto m = make_model("json");
  Value v = parse_json(*m, R"({"Name":"n","Count":5,"Big":9007199254740993,"Ratio":1.5,
    "On":true,"Data":"aGVsbG8=","When":1400000000.25,"WhenIso":"2000-01-02T20:34:56Z",
    "Tags":{"a":"b"},"Items":[{"Id":1},{"Id":2}],"wireName":"w","Doc":{"any":[1,"x"]},
    "Nested":{"Count":7},"Unknown":{"ignored":true}})");
  EXPECT_EQ(v, json::parse(R"({"Name":"n","Count":5,"Big":9007199254740993,"Ratio":1.5,
    "On":true,"Data":"hello","When":1400000000.25,"WhenIso":946845296,
    "Tags":{"a":"b"},"Items":[{"Id":1},{"Id":2}],"Renamed":"w","Doc":{"any":[1,"x"]},
    "Nested":{"Count":7}})"));
}

TEST(JsonProtocol, EmptyBodyAndNullsAreEmptyInput) {
  auto m = make_model("json");
  EXPECT_EQ(parse_json(*m, ""), Value(Object{}));
  EXPECT_EQ(parse_json(*m, "  \n"), Value(Object{}));
  EXPECT_EQ(parse_json(*m, "{}"), Value(Object{}));
  EXPECT_EQ(parse_json(*m, R"({"Name":null,"Items":[null,{"Id":1}]})"),
            json::parse(R"({"Items":[{"Id":1}]})"));
  EXPECT_EQ(parse_json(*m, "", "NoIo"), Value(Object{}));
}

TEST(JsonProtocol, FloatsAcceptNaNAndInfinityStrings) {
  auto m = make_model("json");
  EXPECT_TRUE(std::isnan(parse_json(*m, R"({"Ratio":"NaN"})").at("Ratio").as_double()));
  EXPECT_EQ(parse_json(*m, R"({"Ratio":"-Infinity"})").at("Ratio").as_double(), -INFINITY);
  EXPECT_EQ(parse_json(*m, R"({"Ratio":3})").at("Ratio").as_double(), 3.0);
}

TEST(JsonProtocol, MalformedBodiesAreSerializationExceptions) {
  auto m = make_model("json");
  for (const char* body : {"{", "{\"Name\":}", "nope", "[1,2]", "\"text\"", "{\"Name\":\"x\"} {}",
                           "{\"Name\":\"\\ud800\"", "\xff\xfe"})
    EXPECT_EQ(error_code_of(*m, body), "SerializationException") << body;
  EXPECT_THROW(parse_json(*m, "{", "NoIo"), AwsError);
}

TEST(JsonProtocol, WrongTypesAreSerializationExceptions) {
  auto m = make_model("json");
  for (const char* body :
       {R"({"Name":5})", R"({"Count":"5"})", R"({"Count":1.5})", R"({"On":"true"})",
        R"({"Data":"***"})", R"({"Data":5})", R"({"When":"yesterday"})", R"({"When":true})",
        R"({"Tags":[]})", R"({"Tags":{"a":1}})", R"({"Items":{}})", R"({"Items":[5]})",
        R"({"Nested":"x"})", R"({"Ratio":"1.5"})", R"({"Big":18446744073709551615})"})
    EXPECT_EQ(error_code_of(*m, body), "SerializationException") << body;
}

TEST(JsonProtocol, DeepNestingIsRejectedNotACrash) {
  auto m = make_model("json");
  std::string body;
  for (int i = 0; i < 5000; ++i) body += R"({"Nested":)";
  body += "{}";
  for (int i = 0; i < 5000; ++i) body += "}";
  EXPECT_EQ(error_code_of(*m, body), "SerializationException");
  std::string arrays(100000, '[');
  EXPECT_EQ(error_code_of(*m, arrays), "SerializationException");
}

TEST(JsonProtocol, AcceptsGzipBodies) {
  auto m = make_model("json");
  auto r = json_request(gzip(R"({"Name":"zipped"})"));
  r.headers.emplace("Content-Encoding", "gzip");
  EXPECT_EQ(json_protocol().parse_request(*m, *m->operation("DoThing"), r),
            json::parse(R"({"Name":"zipped"})"));
  r.body = "not gzip at all";
  EXPECT_THROW(json_protocol().parse_request(*m, *m->operation("DoThing"), r), AwsError);
  r.body = gzip(R"({"Name":"zipped"})").substr(0, 15);
  EXPECT_THROW(json_protocol().parse_request(*m, *m->operation("DoThing"), r), AwsError);
}

TEST(JsonProtocol, SerializesOutput) {
  auto m = make_model("json");
  Value out = json::parse(R"({"Name":"n","Ratio":1234.5,"Data":"hello","When":946845296.123,
    "WhenIso":946845296,"Items":[{"Id":1}],"NotInShape":1})");
  auto r = json_protocol().serialize_response(*m, *m->operation("DoThing"), out, "rid-1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(r.header("x-amzn-RequestId"), "rid-1");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"Name":"n","Ratio":1234.5,"Data":"aGVsbG8=",
    "When":946845296.123,"WhenIso":"2000-01-02T20:34:56Z","Items":[{"Id":1}]})"));
  EXPECT_NE(r.body.find("1234.5"), std::string::npos) << r.body;  // not 1.2345E3

  Value special = json::parse(R"({"Ratio":0})");
  special.as_object()["Ratio"] = std::nan("");
  r = json_protocol().serialize_response(*m, *m->operation("DoThing"), special, "rid");
  EXPECT_EQ(r.body, R"({"Ratio":"NaN"})");

  r = json_protocol().serialize_response(*m, *m->operation("NoIo"), Object{}, "rid");
  EXPECT_EQ(r.body, "{}");
}

TEST(JsonProtocol, ModeledErrorsUseTheShapeAndItsMessageMember) {
  auto m = make_model("json");
  AwsError e("NotFoundException", "gone", 404);
  e.with_field("ResourceId", "r-1");
  auto r = json_protocol().serialize_error(*m, m->operation("DoThing"), e, "rid-2");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("x-amzn-RequestId"), "rid-2");
  EXPECT_EQ(r.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_FALSE(r.header("x-amzn-query-error"));
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"__type":"NotFoundException","Message":"gone","ResourceId":"r-1"})"));

  // The query-era code finds the same shape.
  r = json_protocol().serialize_error(*m, m->operation("DoThing"),
                                      AwsError("ResourceNotFound", "gone", 404), "rid");
  EXPECT_EQ(json::parse(r.body).at("__type"), "NotFoundException");

  // A modeled error without a message member still carries the message.
  r = json_protocol().serialize_error(*m, m->operation("DoThing"),
                                      AwsError("BareException", "why"), "rid");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"__type":"BareException","message":"why"})"));
}

TEST(JsonProtocol, UnmodeledErrorsUseLowercaseMessage) {
  auto m = make_model("json");
  auto r = json_protocol().serialize_error(*m, nullptr, not_implemented("test", "X"), "rid");
  EXPECT_EQ(r.status, 501);
  const auto body = json::parse(r.body);
  EXPECT_EQ(body.at("__type"), "NotImplemented");
  EXPECT_TRUE(body.as_object().contains("message"));
}

TEST(JsonProtocol, QueryCompatibleServicesSendTheQueryErrorHeader) {
  auto m = make_model("json", true);
  auto r = json_protocol().serialize_error(*m, m->operation("DoThing"),
                                           AwsError("NotFoundException", "gone", 404), "rid");
  EXPECT_EQ(r.header("x-amzn-query-error"), "ResourceNotFound;Sender");
  r = json_protocol().serialize_error(*m, m->operation("DoThing"),
                                      AwsError("InternalFailure", "oops", 500, false), "rid");
  EXPECT_EQ(r.header("x-amzn-query-error"), "InternalFailure;Receiver");
}

TEST(JsonProtocol, CloudWatchQueryCodesMapToJsonShapes) {
  const ServiceModel* cw = embedded_model("cloudwatch");
  ASSERT_NE(cw, nullptr);
  const Operation* op = cw->operation("PutMetricData");
  ASSERT_NE(op, nullptr);
  auto r = json_protocol().serialize_error(*cw, op, AwsError("InvalidParameterValue", "bad"),
                                           "rid");
  EXPECT_EQ(json::parse(r.body).at("__type"), "InvalidParameterValueException");
  EXPECT_EQ(r.header("x-amzn-query-error"), "InvalidParameterValue;Sender");
  EXPECT_EQ(r.header("Content-Type"), "application/x-amz-json-1.0");
  r = json_protocol().serialize_error(*cw, op, AwsError("MissingParameter", "bad"), "rid");
  EXPECT_EQ(json::parse(r.body).at("__type"), "MissingRequiredParameterException");
  EXPECT_EQ(json_protocol().validation_error_code(), "ValidationException");
}

TEST(JsonBody, RestJsonOptionsSkipLocatedMembers) {
  json::object shapes = json::parse(R"({
    "In": {"type": "structure", "members": {
      "Id": {"shape": "S", "location": "uri", "locationName": "id"},
      "Body": {"shape": "S"},
      "At": {"shape": "T"}}},
    "S": {"type": "string"}, "T": {"type": "timestamp"}})").as_object();
  ServiceModel m("t", json::object{{"protocol", "rest-json"}}, shapes, json::object{});
  json_body::Options o;
  o.body_members_only = true;
  o.default_timestamp_format = "iso8601";
  EXPECT_EQ(json_body::parse(m, *m.shape("In"), R"({"id":"x","Id":"y","Body":"b"})", o),
            json::parse(R"({"Body":"b"})"));
  EXPECT_EQ(json_body::serialize(m, *m.shape("In"), json::parse(R"({"Id":"x","Body":"b","At":0})"), o),
            R"({"Body":"b","At":"1970-01-01T00:00:00Z"})");
}

// smithy-rpc-v2-cbor

namespace {

http::Request cbor_request(std::string body) {
  http::Request r;
  r.method = "POST";
  r.target = "/service/TestService/operation/DoThing";
  r.headers.emplace("smithy-protocol", "rpc-v2-cbor");
  r.headers.emplace("Content-Type", "application/cbor");
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST(CborProtocol, ParsesWhatBotocoreSends) {
  auto m = make_model("smithy-rpc-v2-cbor");
  cbor::Writer w;
  w.map(6);
  w.text("Name");
  w.text("n");
  w.text("Count");
  w.signed_int(-3);
  w.text("Data");
  w.bytes(std::string("\x00\x01", 2));
  w.text("When");
  w.timestamp(1400000000);
  w.text("Ratio");
  w.float32(7.625);
  w.text("Items");
  w.begin_array();
  w.map(1);
  w.text("Id");
  w.unsigned_int(1);
  w.end();
  Value v = cbor_protocol().parse_request(*m, *m->operation("DoThing"), cbor_request(w.take()));
  Value want = json::parse(R"({"Name":"n","Count":-3,"When":1400000000,"Ratio":7.625,
    "Items":[{"Id":1}]})");
  want.as_object()["Data"] = json::string(std::string("\x00\x01", 2));
  EXPECT_EQ(v, want);
  EXPECT_EQ(cbor_protocol().parse_request(*m, *m->operation("DoThing"), cbor_request("")),
            Value(Object{}));
}

TEST(CborProtocol, BadBodiesAreSerializationExceptions) {
  auto m = make_model("smithy-rpc-v2-cbor");
  auto code_of = [&](std::string body) -> std::string {
    try {
      cbor_protocol().parse_request(*m, *m->operation("DoThing"), cbor_request(std::move(body)));
    } catch (const AwsError& e) {
      return e.code();
    }
    return "(no error)";
  };
  EXPECT_EQ(code_of("\xbf"), "SerializationException");    // unterminated map
  EXPECT_EQ(code_of("\x01"), "SerializationException");    // not a map
  EXPECT_EQ(code_of("\xa1\x64Name\x05"), "SerializationException");  // number for a string
  EXPECT_EQ(code_of("\xa1\x64When\x64text"), "SerializationException");
  EXPECT_EQ(code_of("\xa1\x65" "Count\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00"),
            "SerializationException");  // 1.5 for an integer
  EXPECT_EQ(code_of(std::string(100000, '\x81')), "SerializationException");
}

TEST(CborProtocol, SerializesOutputAndErrors) {
  auto m = make_model("smithy-rpc-v2-cbor", true);
  Value out = json::parse(R"({"Name":"n","Ratio":1.5,"When":946845296.123,"Items":[{"Id":1}]})");
  auto r = cbor_protocol().serialize_response(*m, *m->operation("DoThing"), out, "rid");
  EXPECT_EQ(r.header("smithy-protocol"), "rpc-v2-cbor");
  EXPECT_EQ(r.header("Content-Type"), "application/cbor");
  auto item = cbor::decode(r.body);
  ASSERT_NE(item.find("When"), nullptr);
  EXPECT_EQ(item.find("When")->kind, cbor::Item::Kind::kTag);
  EXPECT_EQ(cbor::to_value(item),
            json::parse(R"({"Name":"n","Ratio":1.5,"When":946845296.123,"Items":[{"Id":1}]})"));

  r = cbor_protocol().serialize_response(*m, *m->operation("NoIo"), Object{}, "rid");
  EXPECT_EQ(r.body, "");

  r = cbor_protocol().serialize_error(*m, m->operation("DoThing"),
                                      AwsError("ResourceNotFound", "gone", 404), "rid");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("x-amzn-query-error"), "ResourceNotFound;Sender");
  EXPECT_EQ(cbor::to_value(cbor::decode(r.body)),
            json::parse(R"({"__type":"NotFoundException","Message":"gone"})"));
}
