#include "protocol/query_params.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "core/ascii.hpp"
#include "protocol/content_encoding.hpp"
#include "protocol/xml_body.hpp"

namespace terrarium::protocol::query {

namespace json = boost::json;

namespace {

// Keys deeper than this match no model (the deepest AWS inputs nest about a
// dozen levels); refusing them bounds the recursion below.
constexpr size_t kMaxKeySegments = 64;

// The parameters as a tree of their dot-separated key segments.
struct Node {
  std::optional<std::string> value;
  std::map<std::string, Node, std::less<>> children;

  const Node* child(std::string_view name) const {
    auto it = children.find(name);
    return it == children.end() ? nullptr : &it->second;
  }
};

Node build_tree(const Params& params) {
  Node root;
  for (const auto& [key, value] : params) {
    if (key.empty()) continue;
    if (static_cast<size_t>(std::count(key.begin(), key.end(), '.')) >= kMaxKeySegments) continue;
    Node* node = &root;
    size_t start = 0;
    while (true) {
      const size_t dot = key.find('.', start);
      const std::string_view segment =
          std::string_view(key).substr(start, dot == std::string::npos ? std::string::npos
                                                                        : dot - start);
      auto it = node->children.find(segment);
      if (it == node->children.end())
        it = node->children.emplace(std::string(segment), Node{}).first;
      node = &it->second;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    node->value = value;
  }
  return root;
}

// Children named 1, 2, ... in numeric order (gaps allowed, as AWS allows).
std::vector<const Node*> indexed_children(const Node& node) {
  std::vector<std::pair<uint64_t, const Node*>> items;
  for (const auto& [name, child] : node.children) {
    uint64_t index = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    items.emplace_back(index, &child);
  }
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Node*> out;
  out.reserve(items.size());
  for (auto& [index, child] : items) out.push_back(child);
  return out;
}

std::string capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = ascii_upper(out[0]);
  return out;
}

class TreeParser {
 public:
  TreeParser(const ServiceModel& model, Dialect dialect, std::string_view error_code)
      : model_(model), dialect_(dialect), error_code_(error_code) {}

  Value structure(const Shape& shape, const Node& node, const std::string& path) const {
    Object out;
    const auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) return out;
    for (const auto& [name, ref_value] : members->get_object()) {
      const auto& ref = ref_value.as_object();
      const Shape& target = model_.resolve(ref);
      const Node* found = nullptr;
      std::string used;
      for (auto& candidate : names_of(name, ref, target)) {
        if ((found = node.child(candidate))) {
          used = candidate;
          break;
        }
      }
      if (!found) continue;
      const std::string sub = path.empty() ? used : path + "." + used;
      Value v = value(target, &ref, *found, sub);
      if (!v.is_null()) out[name] = std::move(v);
    }
    return out;
  }

 private:
  // The spellings a client may use for member `name`, preferred first.
  std::vector<std::string> names_of(std::string_view name, const json::object& ref,
                                    const Shape& target) const {
    std::vector<std::string> names;
    const auto location = string_trait(&ref, &target, "locationName");
    if (dialect_ == Dialect::kEc2) {
      const auto query_name = string_trait(&ref, &target, "queryName");
      if (!query_name.empty())
        names.emplace_back(query_name);
      else if (!location.empty())
        names.push_back(capitalized(location));
      else
        names.push_back(capitalized(name));
      // Hand-written clients send the model's own spelling.
      if (names.front() != name) names.emplace_back(name);
      if (!location.empty() && names.front() != location) names.emplace_back(location);
      return names;
    }
    names.emplace_back(location.empty() ? name : location);
    // botocore names a flattened list after its member's locationName.
    if (shape_type(target) == "list" && bool_trait(&ref, &target, "flattened")) {
      const auto& item_ref = target.at("member").as_object();
      const auto item_name = string_trait(&item_ref, nullptr, "locationName");
      if (!item_name.empty() && item_name != names.front()) names.emplace_back(item_name);
    }
    return names;
  }

  Value value(const Shape& shape, const json::object* ref, const Node& node,
              const std::string& path) const {
    const auto type = shape_type(shape);
    if (type == "structure") return structure(shape, node, path);
    if (type == "list") return list(shape, ref, node, path);
    if (type == "map") return map(shape, ref, node, path);
    if (!node.value) return nullptr;
    std::string text = *node.value;
    if (text.empty() && type != "string" && type != "blob") return nullptr;
    if (type == "blob") std::replace(text.begin(), text.end(), ' ', '+');  // an unescaped '+'
    const auto ts = xml::timestamp_format(ref, shape, xml::kIso8601);
    return xml::scalar_from_text(shape, text, ts, path, error_code_);
  }

  Value list(const Shape& shape, const json::object* ref, const Node& node,
             const std::string& path) const {
    const auto& item_ref = shape.at("member").as_object();
    const Shape& item_shape = model_.resolve(item_ref);
    const Node* items_node = &node;
    std::string items_path = path;
    if (dialect_ == Dialect::kQuery && !bool_trait(ref, &shape, "flattened")) {
      auto item_name = string_trait(&item_ref, &item_shape, "locationName");
      if (item_name.empty()) item_name = "member";
      if (const Node* wrapped = node.child(item_name)) {
        items_node = wrapped;
        items_path += "." + std::string(item_name);
      }
    }
    Array out;
    for (const Node* item : indexed_children(*items_node)) {
      Value v = value(item_shape, &item_ref, *item, items_path);
      if (!v.is_null()) out.push_back(std::move(v));
    }
    // `Name=` with no items is how the query protocol sends an empty list.
    return out;
  }

  Value map(const Shape& shape, const json::object* ref, const Node& node,
            const std::string& path) const {
    const auto& key_ref = shape.at("key").as_object();
    const auto& val_ref = shape.at("value").as_object();
    const Shape& key_shape = model_.resolve(key_ref);
    const Shape& val_shape = model_.resolve(val_ref);
    auto key_name = string_trait(&key_ref, &key_shape, "locationName");
    if (key_name.empty()) key_name = "key";
    auto val_name = string_trait(&val_ref, &val_shape, "locationName");
    if (val_name.empty()) val_name = "value";
    const Node* entries = &node;
    if (!bool_trait(ref, &shape, "flattened"))
      if (const Node* wrapped = node.child("entry")) entries = wrapped;
    Object out;
    for (const Node* entry : indexed_children(*entries)) {
      const Node* k = entry->child(key_name);
      if (!k || !k->value) continue;
      const Node* v = entry->child(val_name);
      if (!v) continue;
      Value parsed = value(val_shape, &val_ref, *v, path + "." + *k->value);
      if (!parsed.is_null()) out[*k->value] = std::move(parsed);
    }
    return out;
  }

  const ServiceModel& model_;
  Dialect dialect_;
  std::string_view error_code_;
};

}  // namespace

Params request_params(const http::Request& request, std::string_view error_code) {
  Params params = http::parse_form(request.raw_query(), true);
  if (request.body.empty()) return params;
  const std::string content_type = ascii_lower(request.header("Content-Type").value_or(""));
  // Form bodies are the protocol; a body of another declared type carries no
  // parameters (a JSON body here means the client picked the wrong family).
  if (!content_type.empty() &&
      content_type.find("x-www-form-urlencoded") == std::string::npos)
    return params;
  const std::string body = decoded_body(request, std::string(error_code));
  auto form = http::parse_form(body, true);
  params.insert(params.end(), std::make_move_iterator(form.begin()),
                std::make_move_iterator(form.end()));
  return params;
}

Value parse_params(const ServiceModel& model, const Shape& input, const Params& params,
                   Dialect dialect, std::string_view error_code) {
  const Node root = build_tree(params);
  return TreeParser(model, dialect, error_code).structure(input, root, "");
}

Value parse_request(const ServiceModel& model, const Operation& op, const http::Request& request,
                    Dialect dialect, std::string_view error_code) {
  if (!op.input) return Object{};
  return parse_params(model, *op.input, request_params(request, error_code), dialect, error_code);
}

}  // namespace terrarium::protocol::query
