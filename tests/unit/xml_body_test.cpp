#include <gtest/gtest.h>

#include <cmath>

#include "protocol/xml_body.hpp"

using namespace terrarium;
using namespace terrarium::protocol;
namespace json = boost::json;

namespace {

const ServiceModel& model() {
  static const ServiceModel m(
      "xmltest", json::parse(R"({"protocol":"rest-xml","apiVersion":"2020-01-01"})").as_object(),
      json::parse(R"({
        "Doc": {"type":"structure","members":{
          "Id": {"shape":"String","locationName":"id","xmlAttribute":true},
          "Type": {"shape":"String","locationName":"xsi:type","xmlAttribute":true},
          "Wrapped": {"shape":"Items"},
          "Flat": {"shape":"Strings","flattened":true,"locationName":"Item"},
          "Tags": {"shape":"TagMap"},
          "FlatMap": {"shape":"TagMap","flattened":true,"locationName":"Entry"},
          "Size": {"shape":"Long"},
          "Ratio": {"shape":"Float"},
          "On": {"shape":"Boolean"},
          "At": {"shape":"Time"},
          "HttpAt": {"shape":"Time","timestampFormat":"rfc822"},
          "Data": {"shape":"Blob"},
          "Child": {"shape":"Doc"},
          "Header": {"shape":"String","location":"header","locationName":"x-h"}},
          "xmlNamespace":{"prefix":"xsi","uri":"http://www.w3.org/2001/XMLSchema-instance"}},
        "Items": {"type":"list","member":{"shape":"String","locationName":"Value"}},
        "Strings": {"type":"list","member":{"shape":"String"}},
        "TagMap": {"type":"map","key":{"shape":"String","locationName":"Name"},
                   "value":{"shape":"String"}},
        "String": {"type":"string"}, "Long": {"type":"long"}, "Float": {"type":"float"},
        "Boolean": {"type":"boolean"}, "Time": {"type":"timestamp"}, "Blob": {"type":"blob"}})")
          .as_object(),
      json::object{});
  return m;
}

const Shape& doc_shape() { return *model().shape("Doc"); }

Value read(std::string_view body, const xml::ReadOptions& options = {}) {
  pugi::xml_document doc;
  xml::parse_document(doc, body);
  return xml::read_members(model(), doc_shape(), doc.document_element(), options);
}

}  // namespace

TEST(XmlBody, ReadsMembersByTheirXmlTraits) {
  const Value v = read(
      R"(<Doc xmlns="https://example.com/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="7" xsi:type="Group">)"
      "<Wrapped><Value>a</Value><Value>b</Value></Wrapped>"
      "<Item>x</Item><Other/><Item>y</Item>"
      "<Tags><entry><Name>k</Name><value>v</value></entry></Tags>"
      "<Entry><Name>k2</Name><value>v2</value></Entry>"
      "<Size>12345678901</Size><Ratio>NaN</Ratio><On>true</On>"
      "<At>2014-04-29T18:30:38Z</At><HttpAt>Tue, 29 Apr 2014 18:30:38 GMT</HttpAt>"
      "<Data>dmFsdWU=</Data><Child><Size>1</Size></Child></Doc>");
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("Id"), "7");
  EXPECT_EQ(o.at("Type"), "Group");
  EXPECT_EQ(o.at("Wrapped"), json::parse(R"(["a","b"])"));
  EXPECT_EQ(o.at("Flat"), json::parse(R"(["x","y"])"));
  EXPECT_EQ(o.at("Tags"), json::parse(R"({"k":"v"})"));
  EXPECT_EQ(o.at("FlatMap"), json::parse(R"({"k2":"v2"})"));
  EXPECT_EQ(o.at("Size"), 12345678901);
  EXPECT_TRUE(std::isnan(o.at("Ratio").as_double()));
  EXPECT_EQ(o.at("On"), true);
  EXPECT_EQ(o.at("At"), 1398796238);
  EXPECT_EQ(o.at("HttpAt"), 1398796238);
  EXPECT_EQ(o.at("Data"), "value");
  EXPECT_EQ(o.at("Child"), json::parse(R"({"Size":1})"));
}

TEST(XmlBody, ReadsPrefixedElementsByLocalName) {
  const Value v = read(R"(<s:Doc xmlns:s="urn:x"><s:Size>3</s:Size></s:Doc>)");
  EXPECT_EQ(v, json::parse(R"({"Size":3})"));
}

TEST(XmlBody, BadScalarsThrowTheCallersCode) {
  xml::ReadOptions options;
  options.error_code = "MalformedXML";
  try {
    read("<Doc><Size>big</Size></Doc>", options);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "MalformedXML");
  }
  EXPECT_THROW(read("<Doc><Size>1</Doc>"), AwsError);  // not well-formed
}

TEST(XmlBody, RefusesDocumentsNestedTooDeeply) {
  std::string body;
  for (int i = 0; i < 500; ++i) body += "<Child>";
  for (int i = 0; i < 500; ++i) body += "</Child>";
  EXPECT_THROW(read("<Doc>" + body + "</Doc>"), AwsError);
}

TEST(XmlBody, WritesAndReadsBack) {
  const Value in = json::parse(R"({"Id":"7","Type":"Group","Wrapped":["a","b"],"Flat":["x"],
      "Tags":{"k":"v"},"FlatMap":{"k2":"v2"},"Size":5,"On":false,"At":1398796238.25,
      "HttpAt":1398796238,"Data":"bytes\u0000\u00ff","Child":{"Wrapped":[]},"Header":"skip"})");
  pugi::xml_document doc;
  auto root = doc.append_child("Doc");
  xml::WriteOptions wopts;
  wopts.skip_http_bound_members = true;
  xml::write_members(model(), doc_shape(), in, root, wopts);
  const std::string text = xml::to_string(doc);
  EXPECT_EQ(text.rfind(R"(<?xml version="1.0" encoding="UTF-8"?><Doc xmlns:xsi=)", 0), 0u) << text;
  EXPECT_NE(text.find("<HttpAt>Tue, 29 Apr 2014 18:30:38 GMT</HttpAt>"), std::string::npos);
  EXPECT_NE(text.find("<Item>x</Item>"), std::string::npos);
  EXPECT_EQ(text.find("skip"), std::string::npos);

  xml::ReadOptions ropts;
  ropts.skip_http_bound_members = true;
  Value out = read(text, ropts);
  Value want = in;
  want.as_object().erase("Header");
  EXPECT_EQ(out, want);
}

TEST(XmlBody, ScalarText) {
  const Shape dbl = json::parse(R"({"type":"double"})").as_object();
  EXPECT_EQ(xml::scalar_to_text(dbl, 0.1, xml::kIso8601), "0.1");
  EXPECT_EQ(xml::scalar_to_text(dbl, -INFINITY, xml::kIso8601), "-Infinity");
  const Shape ts = json::parse(R"({"type":"timestamp"})").as_object();
  EXPECT_EQ(xml::scalar_to_text(ts, 0, xml::kUnixTimestamp), "0");
  EXPECT_EQ(xml::scalar_from_text(ts, "1422172800", xml::kUnixTimestamp, "t", "E"), 1422172800);
  EXPECT_EQ(xml::scalar_from_text(ts, "2015-01-25T08:00:00.5Z", xml::kIso8601, "t", "E"),
            1422172800.5);
  const Shape integer = json::parse(R"({"type":"integer"})").as_object();
  EXPECT_THROW(xml::scalar_from_text(integer, "2147483648", xml::kIso8601, "n", "E"), AwsError);
  EXPECT_EQ(xml::scalar_from_text(integer, "-2147483648", xml::kIso8601, "n", "E"),
            -2147483648LL);
}
