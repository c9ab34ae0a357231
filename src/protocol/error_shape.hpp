#pragma once
// Which modeled error shape an AwsError stands for, shared by the JSON-style
// families (json, rest-json, smithy-rpc-v2-cbor).
//
// Handlers throw AwsError with either the error shape's name
// ("InvalidParameterValueException") or, for services that also speak query,
// the query-era code from the shape's `error.code` trait
// ("InvalidParameterValue"). Both resolve to the same shape.
#include <string>

#include "core/aws_error.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol {

struct ErrorShape {
  const Shape* shape = nullptr;  // null when the error is not modeled
  std::string type;              // "__type": the shape name, else the AwsError code
  std::string query_code;        // the awsQuery code: error.code trait, else `type`
  std::string message_member;    // member carrying the message ("message" or "Message")
  std::string message_wire_name; // its wire name (jsonName/locationName)
  bool message_modeled = false;  // the shape has a message member; else the
                                 // message is still sent, as "message"
};

// Looks in the operation's declared errors (when `op` is set), then at shapes
// named `code`, `code + "Exception"`, `code + "Fault"`.
ErrorShape resolve_error_shape(const ServiceModel& model, const Operation* op,
                               const AwsError& error);

// "Code;Sender" or "Code;Receiver": the x-amzn-query-error header value that
// awsQueryCompatible services send so query-era clients see the old code.
std::string query_error_header(const ErrorShape& shape, const AwsError& error);

// Whether the service's metadata carries the awsQueryCompatible trait.
bool is_query_compatible(const ServiceModel& model);

}  // namespace terrarium::protocol
