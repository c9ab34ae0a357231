// The EC2 family: query-style form requests (with EC2's own parameter
// spelling), XML responses with members directly under <OpResponse> beside a
// <requestId>, errors as <Response><Errors><Error>.
#include "protocol/error_shape.hpp"
#include "protocol/families.hpp"
#include "protocol/query_params.hpp"
#include "protocol/xml_body.hpp"

namespace terrarium::protocol {
namespace {

// EC2 reports unparseable and out-of-range values alike as
// InvalidParameterValue (missing ones as MissingParameter).
constexpr const char* kInvalidParameterValue = "InvalidParameterValue";

std::string response_namespace(const ServiceModel& model) {
  // Real EC2 answers with the versioned namespace, trailing slash included.
  const auto version = model.metadata_string("apiVersion");
  return "http://ec2.amazonaws.com/doc/" + std::string(version) + "/";
}

http::Response xml_response(int status, const pugi::xml_document& doc) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "text/xml;charset=UTF-8");
  response.body = xml::to_string(doc, true);
  return response;
}

class Ec2Protocol final : public Protocol {
 public:
  Value parse_request(const ServiceModel& model, const Operation& op,
                      const http::Request& request) const override {
    return query::parse_request(model, op, request, query::Dialect::kEc2, kInvalidParameterValue);
  }

  http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                    const Value& output,
                                    const std::string& request_id) const override {
    pugi::xml_document doc;
    auto root = doc.append_child((op.name + "Response").c_str());
    root.append_attribute("xmlns").set_value(response_namespace(model).c_str());
    root.append_child("requestId").text().set(request_id.c_str());
    if (op.output)
      xml::write_members(model, *op.output, output, root);
    else
      root.append_child("return").text().set("true");  // what EC2 says for output-less calls
    return xml_response(200, doc);
  }

  http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                 const AwsError& error,
                                 const std::string& request_id) const override {
    pugi::xml_document doc;
    auto root = doc.append_child("Response");
    auto err = root.append_child("Errors").append_child("Error");
    xml::write_query_error(model, op, error, err);
    root.append_child("RequestID").text().set(request_id.c_str());
    return xml_response(error.http_status(), doc);
  }

  std::string validation_error_code() const override { return kInvalidParameterValue; }
};

}  // namespace

const Protocol& ec2_protocol() {
  static const Ec2Protocol instance;
  return instance;
}

}  // namespace terrarium::protocol
