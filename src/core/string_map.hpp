#pragma once
// Hash maps keyed by strings that can be looked up by std::string_view, so
// that a lookup on a request's path builds no key string to search with.
#include <functional>
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

}  // namespace terrarium
