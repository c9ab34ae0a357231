#pragma once
// Hash maps keyed by strings that can be looked up by std::string_view, so
// that a lookup on a request's path builds no key string to search with.
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace terrarium {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

// A composite key for such a map: `parts` joined by `separator` in
// `buffer`, which the caller keeps per thread so that building the key on a
// hot path allocates nothing. Valid until `buffer` is written again.
inline std::string_view join_key(std::string& buffer, char separator,
                                 std::initializer_list<std::string_view> parts) {
  buffer.clear();
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) buffer.push_back(separator);
    buffer.append(part);
    first = false;
  }
  return buffer;
}

}  // namespace terrarium
