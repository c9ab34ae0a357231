#pragma once
// Checks a parsed input against its shape's constraints (required members,
// enums, numeric ranges, lengths, patterns) and throws the error AWS gives:
// "1 validation error detected: Value null at 'roleArn' failed to satisfy
// constraint: Member must not be null" with the family's code
// (ValidationError for query, ValidationException for json, ...), or
// MissingParameter for ec2, which words it differently.
#include <string_view>

#include "core/value.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol {

void validate_input(const ServiceModel& model, const Operation& op, const Value& input,
                    std::string_view family);

}  // namespace terrarium::protocol
