#include "auth/authorization_message.hpp"

#include "core/base64.hpp"

namespace terrarium::auth {

// Marks our messages so that random base64 is refused as AWS refuses it.
static constexpr std::string_view kMagic = "terrarium-authz:";

std::string encode_authorization_message(const Value& details) {
  return base64_encode(std::string(kMagic) + boost::json::serialize(details));
}

std::optional<std::string> decode_authorization_message(const std::string& encoded) {
  auto raw = base64_decode(encoded);
  if (!raw || raw->rfind(kMagic, 0) != 0) return std::nullopt;
  return raw->substr(kMagic.size());
}

}  // namespace terrarium::auth
