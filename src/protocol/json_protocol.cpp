// The awsJson1_0 / awsJson1_1 family: POST / with X-Amz-Target
// "<targetPrefix>.<Operation>", a JSON body shaped like the input, a JSON
// body shaped like the output, and errors as {"__type": ..., "message": ...}.
#include "core/aws_error.hpp"
#include "protocol/content_encoding.hpp"
#include "protocol/error_shape.hpp"
#include "protocol/families.hpp"
#include "protocol/json_body.hpp"

namespace terrarium::protocol {
namespace {

namespace json = boost::json;

constexpr const char* kSerializationException = "SerializationException";

std::string content_type(const ServiceModel& model) {
  std::string_view version = model.metadata_string("jsonVersion");
  if (version.empty()) version = "1.0";
  return "application/x-amz-json-" + std::string(version);
}

json_body::Options body_options() {
  json_body::Options options;
  options.default_timestamp_format = "unixTimestamp";
  options.error_code = kSerializationException;
  return options;
}

class JsonProtocol final : public Protocol {
 public:
  Value parse_request(const ServiceModel& model, const Operation& op,
                      const http::Request& request) const override {
    const std::string body = decoded_body(request, kSerializationException);
    if (!op.input) {
      // Nothing to read, but garbage is still garbage: AWS rejects it.
      if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
        std::error_code ec;
        (void)json::parse(body, ec);
        if (ec)
          throw AwsError(kSerializationException,
                         "Request body is not valid JSON: " + ec.message(), 400);
      }
      return Object{};
    }
    return json_body::parse(model, *op.input, body, body_options());
  }

  http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                    const Value& output,
                                    const std::string& request_id) const override {
    http::Response response;
    response.status = 200;
    response.set_header("Content-Type", content_type(model));
    response.set_header("x-amzn-RequestId", request_id);
    response.body =
        op.output ? json_body::serialize(model, *op.output, output, body_options()) : "{}";
    return response;
  }

  http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                 const AwsError& error,
                                 const std::string& request_id) const override {
    const ErrorShape shape = resolve_error_shape(model, op, error);
    json::object body;
    body["__type"] = shape.type;
    Object fields = error.fields();
    if (!error.message().empty() && !fields.contains(shape.message_member))
      fields[shape.message_member] = error.message();
    if (shape.shape) {
      json::value members = json_body::to_json(model, *shape.shape, fields, body_options());
      for (auto& [key, value] : members.as_object())
        if (key != "__type") body[key] = std::move(value);
      if (!shape.message_modeled && !error.message().empty())
        body["message"] = error.message();
    } else {
      for (auto& [key, value] : fields)
        if (key != "__type") body[key] = value;
    }

    http::Response response;
    response.status = error.http_status();
    response.set_header("Content-Type", content_type(model));
    response.set_header("x-amzn-RequestId", request_id);
    if (is_query_compatible(model))
      response.set_header("x-amzn-query-error", query_error_header(shape, error));
    response.body = json_body::to_text(body);
    return response;
  }

  std::string validation_error_code() const override { return "ValidationException"; }
};

}  // namespace

const Protocol& json_protocol() {
  static const JsonProtocol instance;
  return instance;
}

}  // namespace terrarium::protocol
