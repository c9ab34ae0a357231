#include "services/pagination.hpp"

#include <algorithm>

#include "core/aws_error.hpp"
#include "core/base64.hpp"

namespace terrarium::services {

Page paginate(const Value& input, std::vector<KeyedItem> items, const PageStyle& style) {
  std::sort(items.begin(), items.end(),
            [](const KeyedItem& a, const KeyedItem& b) { return a.first < b.first; });
  auto begin = items.begin();
  if (auto marker = get_string(input, style.marker_member); marker && !marker->empty()) {
    auto after = base64_decode(*marker);
    if (!after) throw AwsError("ValidationError", "Invalid Marker: " + *marker);
    begin = std::upper_bound(items.begin(), items.end(), *after,
                             [](const std::string& key, const KeyedItem& item) { return key < item.first; });
  }
  int64_t max = get_int(input, style.max_member).value_or(style.default_max);
  max = std::clamp<int64_t>(max, 1, style.max_max);
  Page page;
  auto end = begin;
  while (end != items.end() && static_cast<int64_t>(page.items.size()) < max) {
    page.items.push_back(std::move(end->second));
    ++end;
  }
  if (end != items.end()) page.next_marker = base64_encode(std::prev(end)->first);
  return page;
}

void add_page_marker(Object& out, const Page& page, const PageStyle& style) {
  if (!style.truncated_member.empty()) out[style.truncated_member] = page.next_marker.has_value();
  if (page.next_marker) out[style.marker_member] = *page.next_marker;
}

Object paged_result(const Value& input, std::vector<KeyedItem> items, std::string_view list_member,
                    const PageStyle& style) {
  Page page = paginate(input, std::move(items), style);
  Object out;
  out[list_member] = std::move(page.items);
  add_page_marker(out, page, style);
  return out;
}

}  // namespace terrarium::services
