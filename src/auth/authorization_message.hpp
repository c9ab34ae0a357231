#pragma once
// The encoded authorization message some AccessDenied errors carry (EC2's
// "Encoded authorization failure message"), which STS
// DecodeAuthorizationMessage turns back into its JSON. AWS encrypts it; we
// only encode it, which keeps the round trip and the JSON's content.
#include <optional>
#include <string>

#include "core/value.hpp"

namespace terrarium::auth {

std::string encode_authorization_message(const Value& details);
// The JSON text, or nullopt when `encoded` is not one of ours.
std::optional<std::string> decode_authorization_message(const std::string& encoded);

}  // namespace terrarium::auth
