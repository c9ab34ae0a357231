#pragma once
// A request's or response's parameters, independent of any wire format.
//
// Value is Boost.JSON's value, with these conventions shared by every parser,
// serializer and handler (they match what botocore's params look like):
//   structure/map -> object, list -> array, string/enum -> string,
//   integer/long -> int64, float/double -> double, boolean -> bool,
//   blob -> string holding the raw bytes (never base64 inside a Value),
//   timestamp -> double or int64 seconds since the epoch (UTC).
// The shape, not the Value, says which wire encoding a member gets.
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace terrarium {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;

// Member `key` of `v` as a string, or nullopt when absent or not a string.
inline std::optional<std::string> get_string(const Value& v, std::string_view key) {
  const auto* obj = v.if_object();
  if (!obj) return std::nullopt;
  const auto* member = obj->if_contains(key);
  if (!member || !member->is_string()) return std::nullopt;
  return std::string(member->get_string());
}

// Member `key` of `v` as a list of strings (its non-string items skipped),
// empty when absent.
inline std::vector<std::string> get_strings(const Value& v, std::string_view key) {
  std::vector<std::string> out;
  const auto* obj = v.if_object();
  const auto* member = obj ? obj->if_contains(key) : nullptr;
  if (!member || !member->is_array()) return out;
  for (const auto& item : member->get_array())
    if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

// Member `key` of `v` as an integer, or nullopt when absent or not a number.
inline std::optional<int64_t> get_int(const Value& v, std::string_view key) {
  const auto* obj = v.if_object();
  if (!obj) return std::nullopt;
  const auto* member = obj->if_contains(key);
  if (!member) return std::nullopt;
  if (member->is_int64()) return member->get_int64();
  if (member->is_uint64()) return static_cast<int64_t>(member->get_uint64());
  if (member->is_double()) return static_cast<int64_t>(member->get_double());
  return std::nullopt;
}

// Any JSON number as a double; nullopt for anything else.
inline std::optional<double> number_of(const Value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

}  // namespace terrarium
