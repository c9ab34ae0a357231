#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace terrarium {

std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; nullopt when `text` is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace terrarium
