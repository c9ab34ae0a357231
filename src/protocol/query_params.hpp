#pragma once
// What the query and ec2 families share: request parameters in AWS's
// flattened `Name.member.1.Field=value` form turned back into a Value by the
// input shape. The two families differ only in how a member's parameter name
// is spelled and how lists are flattened (see Dialect).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/aws_error.hpp"
#include "core/value.hpp"
#include "http/message.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol::query {

enum class Dialect {
  // Members by locationName (else member name); lists as Name.member.N (or
  // the list member's locationName), flattened lists as Name.N; maps as
  // Name.entry.N.key / .value (flattened: Name.N.key).
  kQuery,
  // Members by queryName, else capitalized locationName, else capitalized
  // member name; every list as Name.N.
  kEc2,
};

using Params = std::vector<std::pair<std::string, std::string>>;

// The request's parameters: its query string, then its form body (POST),
// percent-decoded with '+' as space. A gzip Content-Encoding is undone
// first (protocol/content_encoding.hpp). Throws AwsError(`error_code`) for a
// body that cannot be decoded.
Params request_params(const http::Request& request, std::string_view error_code);

// Parameters -> Value by `input` (a structure shape). Unknown parameters are
// ignored, as AWS does; values that do not fit their shape's type throw
// AwsError(`error_code`, 400).
Value parse_params(const ServiceModel& model, const Shape& input, const Params& params,
                   Dialect dialect, std::string_view error_code);

// request_params + parse_params for `op` (an empty object when it takes no
// input).
Value parse_request(const ServiceModel& model, const Operation& op, const http::Request& request,
                    Dialect dialect, std::string_view error_code);

}  // namespace terrarium::protocol::query
