#pragma once
// Marker-based pagination, written once for every query-family List*
// operation (IAM's Marker/MaxItems, RDS's Marker/MaxRecords, ...).
//
// A marker is opaque to clients: the base64 of the sort key of the last item
// returned, so the next page starts after that key even when items were
// created or deleted in between, as AWS's markers behave.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/value.hpp"

namespace terrarium::services {

struct PageStyle {
  std::string_view marker_member = "Marker";   // in the input and the output
  std::string_view max_member = "MaxItems";    // in the input
  std::string_view truncated_member = "IsTruncated";  // "" when the output has none
  int64_t default_max = 100;
  int64_t max_max = 1000;
};

// An item with the key it is sorted and resumed by.
using KeyedItem = std::pair<std::string, Value>;

struct Page {
  Array items;
  std::optional<std::string> next_marker;  // set when more items follow
};

// The page of `items` the input's marker and page size ask for. Items are
// sorted by key here; keys must be unique. Throws ValidationError for a
// marker this server did not hand out.
Page paginate(const Value& input, std::vector<KeyedItem> items, const PageStyle& style = {});

// The page as an output structure: {list_member: [...], IsTruncated, Marker}.
Object paged_result(const Value& input, std::vector<KeyedItem> items, std::string_view list_member,
                    const PageStyle& style = {});

// Adds the page's marker (and truncation flag) to an output structure.
void add_page_marker(Object& out, const Page& page, const PageStyle& style = {});

}  // namespace terrarium::services
