// The rest-json family (EKS, Lambda): HTTP bindings from rest_bindings, the
// body as JSON (json_body), errors as {"message": ...} plus the
// x-amzn-ErrorType header.
#include "protocol/error_shape.hpp"
#include "protocol/families.hpp"
#include "protocol/json_body.hpp"
#include "protocol/rest_bindings.hpp"

namespace terrarium::protocol {
namespace {

namespace json = boost::json;

constexpr std::string_view kMalformedCode = "SerializationException";

json_body::Options body_options(bool body_members_only) {
  json_body::Options o;
  o.default_timestamp_format = "unixTimestamp";
  o.body_members_only = body_members_only;
  o.error_code = std::string(kMalformedCode);
  return o;
}

class RestJsonProtocol final : public Protocol {
 public:
  Value parse_request(const ServiceModel& model, const Operation& op,
                      const http::Request& request) const override {
    Object out;
    if (!op.input) return out;
    const Shape& input = *op.input;
    rest::parse_bound_members(model, op, request, nullptr, out, kMalformedCode);
    const std::string body = rest::decoded_body(request);

    const std::string payload = rest::payload_member_name(input);
    if (!payload.empty()) {
      const auto& ref = input.at("members").as_object().at(payload).as_object();
      if (rest::is_raw_payload(model, input)) {
        if (!body.empty()) out[payload] = json::string(body);
      } else if (!rest::is_blank(body)) {
        const Shape& target = model.resolve(ref);
        Value v = json_body::parse(model, target, body, body_options(false));
        // Clients send "{}" for an absent structure payload (botocore does).
        const bool absent = v.is_object() && v.get_object().empty() && !target.contains("document");
        if (!absent) out[payload] = std::move(v);
      }
      return out;
    }
    if (rest::is_blank(body) || !rest::has_body_members(input)) return out;
    Value parsed = json_body::parse(model, input, body, body_options(true));
    if (auto* obj = parsed.if_object())
      for (auto& [k, v] : *obj)
        if (!out.contains(k)) out[k] = std::move(v);
    return out;
  }

  http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                    const Value& output,
                                    const std::string& request_id) const override {
    http::Response response;
    response.status = rest::response_status(op);
    if (!request_id.empty()) response.set_header("x-amzn-RequestId", request_id);
    if (!op.output) return response;
    const Shape& shape = *op.output;
    rest::serialize_bound_members(model, shape, output, response);

    const std::string payload = rest::payload_member_name(shape);
    const auto* obj = output.if_object();
    if (!payload.empty()) {
      const auto& ref = shape.at("members").as_object().at(payload).as_object();
      const Value* v = obj ? obj->if_contains(payload) : nullptr;
      if (!v || v->is_null()) return response;
      if (rest::is_raw_payload(model, shape)) {
        rest::set_raw_payload(model, ref, *v, response);
      } else {
        response.body = json_body::serialize(model, model.resolve(ref), *v, body_options(false));
        if (!response.header("Content-Type"))
          response.set_header("Content-Type", "application/json");
      }
      return response;
    }
    // An output whose members all travel in headers or the status code has
    // no body, as Lambda's DeleteFunction (204) has none.
    if (!rest::has_body_members(shape, true)) return response;
    Shape storage;
    response.body =
        json_body::serialize(model, rest::response_body_shape(shape, storage),
                             output.is_null() ? Value(Object()) : output, body_options(true));
    if (!response.header("Content-Type")) response.set_header("Content-Type", "application/json");
    return response;
  }

  http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                 const AwsError& error,
                                 const std::string& request_id) const override {
    http::Response response;
    const ErrorShape resolved = resolve_error_shape(model, op, error);
    const Shape* shape = resolved.shape;
    response.status = rest::error_status(shape, error);
    if (!request_id.empty()) response.set_header("x-amzn-RequestId", request_id);
    response.set_header("x-amzn-ErrorType", resolved.type);
    response.set_header("Content-Type", "application/json");

    Object body;
    Value fields(error.fields());
    if (shape) {
      rest::serialize_bound_members(model, *shape, fields, response);
      json::value doc = json_body::to_json(model, *shape, fields, body_options(true));
      if (doc.is_object()) body = std::move(doc.get_object());
      // Lambda's errors carry Type: User (the caller's fault) or Service.
      if (const auto* members = shape->if_contains("members");
          members && members->is_object() && members->get_object().contains("Type") &&
          !error.fields().contains("Type"))
        body["Type"] = error.sender_fault() ? "User" : "Service";
    }
    if (!error.message().empty()) body[resolved.message_wire_name] = error.message();
    response.body = json::serialize(body);
    return response;
  }

  std::string validation_error_code() const override { return "ValidationException"; }
};

}  // namespace

const Protocol& rest_json_protocol() {
  static const RestJsonProtocol instance;
  return instance;
}

}  // namespace terrarium::protocol
