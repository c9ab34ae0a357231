#pragma once
// RFC 4648 base32 without padding: the alphabet of AWS's access key ids and
// of the TOTP seeds authenticator apps take.
#include <optional>
#include <string>
#include <string_view>

namespace terrarium {

inline constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string base32_encode(std::string_view bytes);
// Case-insensitive; '=' padding and whitespace are skipped; nullopt on any
// other character outside the alphabet. Trailing bits that make no whole
// byte are dropped.
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace terrarium
