#pragma once
// The one exception that carries an AWS-visible error out of a handler, parser
// or validator. Serializers turn it into the protocol's own error format.
#include <stdexcept>
#include <string>

#include "core/value.hpp"

namespace terrarium {

class AwsError : public std::runtime_error {
 public:
  AwsError(std::string code, std::string message, int http_status = 400,
           bool sender_fault = true)
      : std::runtime_error(message),
        code_(std::move(code)),
        message_(std::move(message)),
        http_status_(http_status),
        sender_fault_(sender_fault) {}

  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }
  bool sender_fault() const { return sender_fault_; }

  // Members of the error's modeled shape besides its code and message (by
  // member name), serialized with the shape's bindings.
  const Object& fields() const { return fields_; }
  AwsError& with_field(std::string_view member, Value v) {
    fields_[member] = std::move(v);
    return *this;
  }

 private:
  std::string code_;
  std::string message_;
  int http_status_;
  bool sender_fault_;
  Object fields_;
};

// The operation exists in the model but has no behaviour in Terrarium yet.
inline AwsError not_implemented(const std::string& service, const std::string& operation) {
  return AwsError("NotImplemented",
                  "The operation " + operation + " of service " + service +
                      " is not implemented by Terrarium",
                  501, false);
}

}  // namespace terrarium
