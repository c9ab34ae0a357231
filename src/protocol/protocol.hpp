#pragma once
// One parser and one serializer per protocol family. Families know wire
// formats and nothing about services; services know behaviour and nothing
// about wire formats.
#include <memory>
#include <string>
#include <string_view>

#include "core/aws_error.hpp"
#include "core/value.hpp"
#include "http/message.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol {

class Protocol {
 public:
  virtual ~Protocol() = default;

  // Wire request -> Value by the operation's input shape (see core/value.hpp
  // for the conventions). Throws AwsError for input that cannot be parsed
  // (malformed body, wrong types); shape constraints are checked separately
  // by validate_input().
  virtual Value parse_request(const ServiceModel& model, const Operation& op,
                              const http::Request& request) const = 0;

  // Value by the operation's output shape -> wire response.
  virtual http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                            const Value& output,
                                            const std::string& request_id) const = 0;

  // AwsError -> the family's error format. `op` is null when routing failed
  // before an operation was known.
  virtual http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                         const AwsError& error,
                                         const std::string& request_id) const = 0;

  // The error code this family's services use when input fails its shape's
  // constraints ("ValidationError" for query, "ValidationException" for json).
  virtual std::string validation_error_code() const = 0;
};

// The family named as in botocore's metadata: "query", "ec2", "json",
// "rest-json", "rest-xml", "smithy-rpc-v2-cbor". Null when unknown.
const Protocol* protocol_for(std::string_view family);

}  // namespace terrarium::protocol
