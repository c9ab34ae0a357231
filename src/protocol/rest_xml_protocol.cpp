// Placeholder until the rest_xml family lands: every request answers NotImplemented.
#include "protocol/families.hpp"

namespace terrarium::protocol {
namespace {
class Placeholder final : public Protocol {
 public:
  Value parse_request(const ServiceModel& m, const Operation& op, const http::Request&) const override {
    throw not_implemented(m.service(), op.name);
  }
  http::Response serialize_response(const ServiceModel&, const Operation&, const Value&,
                                    const std::string&) const override {
    return {501, {}, ""};
  }
  http::Response serialize_error(const ServiceModel&, const Operation*, const AwsError& e,
                                 const std::string&) const override {
    return {e.http_status(), {}, e.code() + ": " + e.message()};
  }
  std::string validation_error_code() const override { return "ValidationException"; }
};
}  // namespace
const Protocol& rest_xml_protocol() {
  static const Placeholder instance;
  return instance;
}
}  // namespace terrarium::protocol
