// The AWS query family (sts, iam, rds, elasticache, cloudformation, elbv2,
// sns, and cloudwatch's legacy wire): form-encoded requests, XML responses
// wrapped in <OpResponse><OpResult>, errors as <ErrorResponse>.
#include "protocol/error_shape.hpp"
#include "protocol/families.hpp"
#include "protocol/query_params.hpp"
#include "protocol/xml_body.hpp"

namespace terrarium::protocol {
namespace {

// Query services answer malformed and out-of-constraint input alike with
// ValidationError (IAM, STS, CloudFormation, ELBv2, RDS all do).
constexpr const char* kValidationError = "ValidationError";

std::string result_wrapper(const Operation& op) {
  if (!op.definition) return {};
  const auto* out = op.definition->if_contains("output");
  if (!out || !out->is_object()) return {};
  const auto* wrapper = out->get_object().if_contains("resultWrapper");
  return wrapper && wrapper->is_string() ? std::string(wrapper->get_string()) : std::string();
}

http::Response xml_response(int status, const pugi::xml_document& doc,
                            const std::string& request_id) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "text/xml");
  response.set_header("x-amzn-RequestId", request_id);
  response.body = xml::to_string(doc, false);
  return response;
}

class QueryProtocol final : public Protocol {
 public:
  Value parse_request(const ServiceModel& model, const Operation& op,
                      const http::Request& request) const override {
    return query::parse_request(model, op, request, query::Dialect::kQuery, kValidationError);
  }

  http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                    const Value& output,
                                    const std::string& request_id) const override {
    pugi::xml_document doc;
    auto root = doc.append_child((op.name + "Response").c_str());
    const auto ns = model.metadata_string("xmlNamespace");
    if (!ns.empty()) root.append_attribute("xmlns").set_value(std::string(ns).c_str());
    if (op.output) {
      // Every query model names the wrapper; botocore reads members from the
      // root when it does not, so we write them there too.
      const std::string wrapper = result_wrapper(op);
      auto result = wrapper.empty() ? root : root.append_child(wrapper.c_str());
      xml::write_members(model, *op.output, output, result);
    }
    root.append_child("ResponseMetadata")
        .append_child("RequestId")
        .text()
        .set(request_id.c_str());
    return xml_response(200, doc, request_id);
  }

  http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                 const AwsError& error,
                                 const std::string& request_id) const override {
    pugi::xml_document doc;
    auto root = doc.append_child("ErrorResponse");
    const auto ns = model.metadata_string("xmlNamespace");
    if (!ns.empty()) root.append_attribute("xmlns").set_value(std::string(ns).c_str());
    auto err = root.append_child("Error");
    err.append_child("Type").text().set(error.sender_fault() ? "Sender" : "Receiver");
    xml::write_query_error(model, op, error, err);
    root.append_child("RequestId").text().set(request_id.c_str());
    return xml_response(error.http_status(), doc, request_id);
  }

  std::string validation_error_code() const override { return kValidationError; }
};

}  // namespace

const Protocol& query_protocol() {
  static const QueryProtocol instance;
  return instance;
}

}  // namespace terrarium::protocol
