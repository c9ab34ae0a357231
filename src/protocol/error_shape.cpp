#include "protocol/error_shape.hpp"

#include "core/ascii.hpp"
#include "protocol/json_body.hpp"

namespace terrarium::protocol {

namespace {

std::string_view error_code_trait(const Shape& shape) {
  const auto* e = shape.if_contains("error");
  if (!e || !e->is_object()) return {};
  const auto* c = e->get_object().if_contains("code");
  return c && c->is_string() ? std::string_view(c->get_string()) : std::string_view();
}

bool is_exception(const Shape& shape) {
  const auto* e = shape.if_contains("exception");
  return (e && e->is_bool() && e->get_bool()) || shape.contains("error");
}

ErrorShape describe(const Shape* shape, std::string name) {
  ErrorShape out;
  out.shape = shape;
  out.type = std::move(name);
  out.query_code = out.type;
  out.message_member = "message";
  out.message_wire_name = "message";
  if (!shape) return out;
  if (auto code = error_code_trait(*shape); !code.empty()) out.query_code = std::string(code);
  if (const auto* members = shape->if_contains("members"); members && members->is_object()) {
    for (const auto& [member, ref] : members->get_object()) {
      if (!iequals(member, "message") || !ref.is_object()) continue;
      out.message_member = std::string(member);
      out.message_wire_name = std::string(json_body::wire_name(ref.get_object(), member));
      out.message_modeled = true;
      break;
    }
  }
  return out;
}

}  // namespace

ErrorShape resolve_error_shape(const ServiceModel& model, const Operation* op,
                               const AwsError& error) {
  const std::string& code = error.code();
  if (op && op->definition) {
    if (const auto* errors = op->definition->if_contains("errors"); errors && errors->is_array()) {
      // A shape name match wins over a code-trait match.
      for (int pass = 0; pass < 2; ++pass) {
        for (const auto& ref : errors->get_array()) {
          const auto* name = ref.is_object() ? ref.get_object().if_contains("shape") : nullptr;
          if (!name || !name->is_string()) continue;
          const Shape* shape = model.shape(name->get_string());
          if (!shape) continue;
          if ((pass == 0 && name->get_string() == code) ||
              (pass == 1 && error_code_trait(*shape) == code))
            return describe(shape, std::string(name->get_string()));
        }
      }
    }
  }
  if (const Shape* shape = model.shape(code); shape && is_exception(*shape))
    return describe(shape, code);
  for (const char* suffix : {"Exception", "Fault"}) {
    const std::string name = code + suffix;
    if (const Shape* shape = model.shape(name); shape && is_exception(*shape) &&
                                                error_code_trait(*shape) == code)
      return describe(shape, name);
  }
  return describe(nullptr, code);
}

std::string query_error_header(const ErrorShape& shape, const AwsError& error) {
  const bool sender = error.sender_fault() && error.http_status() < 500;
  return shape.query_code + (sender ? ";Sender" : ";Receiver");
}

bool is_query_compatible(const ServiceModel& model) {
  return model.metadata().contains("awsQueryCompatible");
}

}  // namespace terrarium::protocol
