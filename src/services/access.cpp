#include "services/access.hpp"

namespace terrarium::services {

void add_request_tags(AccessRequest& request, const Value& tags) {
  if (!tags.is_array()) return;
  std::vector<std::string> keys;
  for (const auto& tag : tags.as_array()) {
    const std::string key = get_string(tag, "Key").value_or("");
    request.keys["aws:RequestTag/" + key] = {get_string(tag, "Value").value_or("")};
    keys.push_back(key);
  }
  if (!keys.empty()) request.keys["aws:TagKeys"] = std::move(keys);
}

void add_resource_tags(AccessRequest& request, const Value& tags, std::string_view prefix) {
  if (!tags.is_array()) return;
  for (const auto& tag : tags.as_array())
    request.keys[std::string(prefix) + get_string(tag, "Key").value_or("")] = {get_string(tag, "Value").value_or("")};
}

}  // namespace terrarium::services
