#include "protocol/xml_body.hpp"

#include "protocol/error_shape.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"

namespace terrarium::protocol::xml {

namespace json = boost::json;

namespace {

// Documents nest as deep as clients make them; recursive shapes would
// otherwise let a hostile body exhaust the stack.
constexpr int kMaxDepth = 100;

bool is_http_bound(const json::object& ref) {
  const auto* loc = ref.if_contains("location");
  return loc && loc->is_string() && !loc->get_string().empty();
}

// Element name of a list item: the list member's locationName, else "member".
std::string item_name(const Shape& list_shape, const Shape& item_shape) {
  const auto& member_ref = list_shape.at("member").as_object();
  auto name = string_trait(&member_ref, &item_shape, "locationName");
  return name.empty() ? std::string("member") : std::string(name);
}

std::string key_name(const Shape& map_shape, const ServiceModel& model) {
  const auto& ref = map_shape.at("key").as_object();
  auto name = string_trait(&ref, &model.resolve(ref), "locationName");
  return name.empty() ? std::string("key") : std::string(name);
}

std::string value_name(const Shape& map_shape, const ServiceModel& model) {
  const auto& ref = map_shape.at("value").as_object();
  auto name = string_trait(&ref, &model.resolve(ref), "locationName");
  return name.empty() ? std::string("value") : std::string(name);
}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return "0";
  return std::string(buf, end);
}

std::string format_timestamp(double seconds, std::string_view format) {
  if (format == kUnixTimestamp) return format_epoch(seconds);
  if (format == kRfc822) return format_rfc822(seconds);
  return format_iso8601(seconds);
}

[[noreturn]] void bad_value(std::string_view what, std::string_view text, std::string_view expected,
                            std::string_view error_code) {
  std::string shown(text.substr(0, 256));
  throw AwsError(std::string(error_code),
                 "Invalid value '" + shown + "' for parameter " + std::string(what) + ": expected " +
                     std::string(expected),
                 400);
}

void write_value_at(const ServiceModel& model, const Shape& shape, const Value& value,
                    pugi::xml_node element, const json::object* member_ref,
                    const WriteOptions& options, int depth);

void write_member_at(const ServiceModel& model, std::string_view name, const json::object& ref,
                     const Value& value, pugi::xml_node parent, const WriteOptions& options,
                     int depth) {
  if (value.is_null()) return;
  if (options.skip_http_bound_members && is_http_bound(ref)) return;
  const Shape& shape = model.resolve(ref);
  auto located = string_trait(&ref, &shape, "locationName");
  const std::string element_name = located.empty() ? std::string(name) : std::string(located);

  if (bool_trait(&ref, nullptr, "xmlAttribute")) {
    const auto ts = timestamp_format(&ref, shape, options.default_timestamp_format);
    parent.append_attribute(element_name.c_str()).set_value(scalar_to_text(shape, value, ts).c_str());
    return;
  }

  const bool flattened = bool_trait(&ref, &shape, "flattened");
  const auto type = shape_type(shape);
  if (flattened && type == "list" && value.is_array()) {
    const auto& item_ref = shape.at("member").as_object();
    const Shape& item_shape = model.resolve(item_ref);
    for (const auto& item : value.get_array()) {
      if (item.is_null()) continue;
      auto el = parent.append_child(element_name.c_str());
      add_namespace(el, item_ref.if_contains("xmlNamespace"));
      write_value_at(model, item_shape, item, el, &item_ref, options, depth + 1);
    }
    return;
  }
  if (flattened && type == "map" && value.is_object()) {
    const auto& key_ref = shape.at("key").as_object();
    const auto& val_ref = shape.at("value").as_object();
    const Shape& key_shape = model.resolve(key_ref);
    const Shape& val_shape = model.resolve(val_ref);
    const std::string kname = key_name(shape, model);
    const std::string vname = value_name(shape, model);
    for (const auto& [k, v] : value.get_object()) {
      if (v.is_null()) continue;
      auto entry = parent.append_child(element_name.c_str());
      add_namespace(entry, ref.if_contains("xmlNamespace"));
      auto kel = entry.append_child(kname.c_str());
      add_namespace(kel, key_ref.if_contains("xmlNamespace"));
      write_value_at(model, key_shape, Value(k), kel, &key_ref, options, depth + 1);
      auto vel = entry.append_child(vname.c_str());
      add_namespace(vel, val_ref.if_contains("xmlNamespace"));
      write_value_at(model, val_shape, v, vel, &val_ref, options, depth + 1);
    }
    return;
  }
  auto el = parent.append_child(element_name.c_str());
  add_namespace(el, ref.if_contains("xmlNamespace"));
  write_value_at(model, shape, value, el, &ref, options, depth + 1);
}

void write_members_at(const ServiceModel& model, const Shape& shape, const Value& value,
                      pugi::xml_node element, const WriteOptions& options, int depth) {
  const auto* obj = value.if_object();
  const auto* members = shape.if_contains("members");
  if (!obj || !members || !members->is_object()) return;
  // A prefixed namespace on the structure declares the prefix its
  // attributes use (S3's Grantee and xsi:type).
  if (const auto* ns = shape.if_contains("xmlNamespace"); ns && ns->is_object() &&
                                                           ns->get_object().contains("prefix"))
    add_namespace(element, ns);
  for (const auto& [name, ref] : members->get_object()) {
    const auto* v = obj->if_contains(name);
    if (!v) continue;
    write_member_at(model, name, ref.as_object(), *v, element, options, depth);
  }
}

void write_value_at(const ServiceModel& model, const Shape& shape, const Value& value,
                    pugi::xml_node element, const json::object* member_ref,
                    const WriteOptions& options, int depth) {
  if (depth > kMaxDepth) throw AwsError("InternalFailure", "Value nests too deeply", 500, false);
  const auto type = shape_type(shape);
  if (type == "structure") {
    write_members_at(model, shape, value, element, options, depth);
  } else if (type == "list") {
    if (!value.is_array()) return;
    const auto& item_ref = shape.at("member").as_object();
    const Shape& item_shape = model.resolve(item_ref);
    const std::string name = item_name(shape, item_shape);
    for (const auto& item : value.get_array()) {
      if (item.is_null()) continue;
      auto el = element.append_child(name.c_str());
      add_namespace(el, item_ref.if_contains("xmlNamespace"));
      write_value_at(model, item_shape, item, el, &item_ref, options, depth + 1);
    }
  } else if (type == "map") {
    if (!value.is_object()) return;
    const auto& key_ref = shape.at("key").as_object();
    const auto& val_ref = shape.at("value").as_object();
    const Shape& key_shape = model.resolve(key_ref);
    const Shape& val_shape = model.resolve(val_ref);
    const std::string kname = key_name(shape, model);
    const std::string vname = value_name(shape, model);
    for (const auto& [k, v] : value.get_object()) {
      if (v.is_null()) continue;
      auto entry = element.append_child("entry");
      auto kel = entry.append_child(kname.c_str());
      add_namespace(kel, key_ref.if_contains("xmlNamespace"));
      write_value_at(model, key_shape, Value(k), kel, &key_ref, options, depth + 1);
      auto vel = entry.append_child(vname.c_str());
      add_namespace(vel, val_ref.if_contains("xmlNamespace"));
      write_value_at(model, val_shape, v, vel, &val_ref, options, depth + 1);
    }
  } else {
    const auto ts = timestamp_format(member_ref, shape, options.default_timestamp_format);
    const std::string text = scalar_to_text(shape, value, ts);
    if (!text.empty()) element.text().set(text.c_str());
  }
}

// ---- reading ----

Value read_value_at(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                    const json::object* member_ref, const ReadOptions& options, int depth,
                    std::string_view what);

Value read_member_at(const ServiceModel& model, std::string_view name, const json::object& ref,
                     pugi::xml_node parent, const ReadOptions& options, int depth) {
  if (options.skip_http_bound_members && is_http_bound(ref)) return nullptr;
  const Shape& shape = model.resolve(ref);
  auto located = string_trait(&ref, &shape, "locationName");
  const std::string element_name = located.empty() ? std::string(name) : std::string(located);

  if (bool_trait(&ref, nullptr, "xmlAttribute")) {
    pugi::xml_attribute found = parent.attribute(element_name.c_str());
    if (!found) {
      // Prefixes are the document's choice; compare the local parts.
      const auto colon = element_name.find(':');
      const std::string_view local =
          colon == std::string::npos ? std::string_view(element_name)
                                     : std::string_view(element_name).substr(colon + 1);
      for (auto attr : parent.attributes()) {
        std::string_view attr_name = attr.name();
        const auto c = attr_name.find(':');
        if (c != std::string_view::npos) attr_name = attr_name.substr(c + 1);
        if (attr_name == local && std::string_view(attr.name()).substr(0, 6) != "xmlns:") {
          found = attr;
          break;
        }
      }
    }
    if (!found) return nullptr;
    const auto ts = timestamp_format(&ref, shape, options.default_timestamp_format);
    return scalar_from_text(shape, found.value(), ts, name, options.error_code);
  }

  const bool flattened = bool_trait(&ref, &shape, "flattened");
  const auto type = shape_type(shape);
  if (flattened && type == "list") {
    const auto& item_ref = shape.at("member").as_object();
    const Shape& item_shape = model.resolve(item_ref);
    Array items;
    auto collect = [&](std::string_view wanted) {
      for (auto c : parent.children()) {
        if (c.type() != pugi::node_element || local_name(c) != wanted) continue;
        Value v = read_value_at(model, item_shape, c, &item_ref, options, depth + 1, name);
        if (!v.is_null()) items.push_back(std::move(v));
      }
    };
    collect(element_name);
    // botocore's parser names flattened items after the list member's
    // locationName; accept that spelling too.
    if (items.empty()) {
      auto alt = string_trait(&item_ref, nullptr, "locationName");
      if (!alt.empty() && alt != element_name) collect(alt);
    }
    if (items.empty() && !child(parent, element_name)) return nullptr;
    return items;
  }
  if (flattened && type == "map") {
    const auto& key_ref = shape.at("key").as_object();
    const auto& val_ref = shape.at("value").as_object();
    const Shape& key_shape = model.resolve(key_ref);
    const Shape& val_shape = model.resolve(val_ref);
    const std::string kname = key_name(shape, model);
    const std::string vname = value_name(shape, model);
    Object out;
    bool any = false;
    for (auto entry : parent.children()) {
      if (entry.type() != pugi::node_element || local_name(entry) != element_name) continue;
      any = true;
      auto kel = child(entry, kname);
      if (!kel) continue;
      Value k = read_value_at(model, key_shape, kel, &key_ref, options, depth + 1, name);
      if (!k.is_string()) continue;
      auto vel = child(entry, vname);
      Value v = vel ? read_value_at(model, val_shape, vel, &val_ref, options, depth + 1, name)
                    : Value(nullptr);
      out[k.get_string()] = std::move(v);
    }
    if (!any) return nullptr;
    return out;
  }
  auto el = child(parent, element_name);
  // botocore names an element by its target shape's locationName, Smithy
  // clients by the member: accept either.
  if (!el && element_name != name) el = child(parent, name);
  if (!el) return nullptr;
  return read_value_at(model, shape, el, &ref, options, depth + 1, name);
}

Value read_members_at(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                      const ReadOptions& options, int depth) {
  Object out;
  const auto* members = shape.if_contains("members");
  if (!members || !members->is_object()) return out;
  for (const auto& [name, ref] : members->get_object()) {
    Value v = read_member_at(model, name, ref.as_object(), element, options, depth);
    if (!v.is_null()) out[name] = std::move(v);
  }
  return out;
}

Value read_value_at(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                    const json::object* member_ref, const ReadOptions& options, int depth,
                    std::string_view what) {
  if (depth > kMaxDepth)
    throw AwsError(std::string(options.error_code), "The XML document nests too deeply", 400);
  const auto type = shape_type(shape);
  if (type == "structure") return read_members_at(model, shape, element, options, depth);
  if (type == "list") {
    const auto& item_ref = shape.at("member").as_object();
    const Shape& item_shape = model.resolve(item_ref);
    Array items;
    // Clients agree on the item name; any element child is an item, as
    // botocore reads it.
    for (auto c : element.children()) {
      if (c.type() != pugi::node_element) continue;
      Value v = read_value_at(model, item_shape, c, &item_ref, options, depth + 1, what);
      if (!v.is_null()) items.push_back(std::move(v));
    }
    return items;
  }
  if (type == "map") {
    const auto& key_ref = shape.at("key").as_object();
    const auto& val_ref = shape.at("value").as_object();
    const Shape& key_shape = model.resolve(key_ref);
    const Shape& val_shape = model.resolve(val_ref);
    const std::string kname = key_name(shape, model);
    const std::string vname = value_name(shape, model);
    Object out;
    for (auto entry : element.children()) {
      if (entry.type() != pugi::node_element) continue;
      auto kel = child(entry, kname);
      if (!kel) continue;
      Value k = read_value_at(model, key_shape, kel, &key_ref, options, depth + 1, what);
      if (!k.is_string()) continue;
      auto vel = child(entry, vname);
      out[k.get_string()] =
          vel ? read_value_at(model, val_shape, vel, &val_ref, options, depth + 1, what)
              : Value(nullptr);
    }
    return out;
  }
  const std::string_view text = element.text().get();
  if (text.empty() && type != "string" && type != "blob") return nullptr;
  const auto ts = timestamp_format(member_ref, shape, options.default_timestamp_format);
  return scalar_from_text(shape, text, ts, what, options.error_code);
}

}  // namespace

// ---- scalars ----

std::string_view timestamp_format(const json::object* member_ref, const Shape& shape,
                                  std::string_view fallback) {
  auto f = string_trait(member_ref, &shape, "timestampFormat");
  return f.empty() ? fallback : f;
}

std::string scalar_to_text(const Shape& shape, const Value& value, std::string_view ts_format) {
  const auto type = shape_type(shape);
  if (type == "structure" || type == "list" || type == "map") return {};
  if (type == "boolean") {
    if (value.is_bool()) return value.get_bool() ? "true" : "false";
    if (value.is_string()) return std::string(value.get_string());
    if (auto n = number_of(value)) return *n != 0 ? "true" : "false";
    return {};
  }
  if (type == "integer" || type == "long" || type == "short" || type == "byte") {
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (value.is_double()) {
      const double d = value.get_double();
      if (std::isfinite(d) && std::fabs(d) < 9.2e18) return std::to_string(static_cast<int64_t>(d));
      return format_double(d);
    }
    if (value.is_string()) return std::string(value.get_string());
    if (value.is_bool()) return value.get_bool() ? "1" : "0";
    return {};
  }
  if (type == "float" || type == "double") {
    if (value.is_double()) return format_double(value.get_double());
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (value.is_string()) return std::string(value.get_string());  // "NaN", "Infinity"
    return {};
  }
  if (type == "timestamp") {
    if (auto n = number_of(value)) return format_timestamp(*n, ts_format);
    if (value.is_string()) {
      if (auto t = parse_any_timestamp(value.get_string())) return format_timestamp(*t, ts_format);
      return std::string(value.get_string());
    }
    return {};
  }
  if (type == "blob") {
    if (value.is_string()) return base64_encode(value.get_string());
    return {};
  }
  // string, enum, character, and anything unknown
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return value.get_bool() ? "true" : "false";
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  if (value.is_double()) return format_double(value.get_double());
  return {};
}

Value scalar_from_text(const Shape& shape, std::string_view text, std::string_view ts_format,
                       std::string_view what, std::string_view error_code) {
  const auto type = shape_type(shape);
  if (type == "boolean") {
    if (iequals(text, "true")) return true;
    if (iequals(text, "false")) return false;
    bad_value(what, text, "a boolean (true or false)", error_code);
  }
  if (type == "integer" || type == "long" || type == "short" || type == "byte") {
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
      bad_value(what, text, type == "long" ? "a long integer" : "an integer", error_code);
    if (type == "integer" && (n < std::numeric_limits<int32_t>::min() ||
                              n > std::numeric_limits<int32_t>::max()))
      bad_value(what, text, "an integer within 32 bits", error_code);
    return n;
  }
  if (type == "float" || type == "double") {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    double d = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        !std::isfinite(d))
      bad_value(what, text, "a number", error_code);
    return d;
  }
  if (type == "timestamp") {
    std::optional<double> t;
    if (ts_format == kUnixTimestamp)
      t = parse_epoch(text);
    else if (ts_format == kRfc822)
      t = parse_rfc822(text);
    else
      t = parse_iso8601(text);
    if (!t) t = parse_any_timestamp(text);
    if (!t) bad_value(what, text, "a timestamp", error_code);
    const double whole = std::floor(*t);
    if (whole == *t && std::fabs(whole) < 9.2e18) return static_cast<int64_t>(whole);
    return *t;
  }
  if (type == "blob") {
    std::string compact;
    compact.reserve(text.size());
    for (char c : text)
      if (c != '\n' && c != '\r' && c != '\t' && c != ' ') compact.push_back(c);
    auto bytes = base64_decode(compact);
    if (!bytes) bad_value(what, text.substr(0, 64), "base64-encoded binary data", error_code);
    return Value(std::move(*bytes));
  }
  return Value(std::string(text));
}

// ---- writing ----

void write_members(const ServiceModel& model, const Shape& shape, const Value& value,
                   pugi::xml_node element, const WriteOptions& options) {
  write_members_at(model, shape, value, element, options, 0);
}

void write_member(const ServiceModel& model, std::string_view name, const json::object& member_ref,
                  const Value& value, pugi::xml_node parent, const WriteOptions& options) {
  write_member_at(model, name, member_ref, value, parent, options, 0);
}

void write_value(const ServiceModel& model, const Shape& shape, const Value& value,
                 pugi::xml_node element, const json::object* member_ref,
                 const WriteOptions& options) {
  write_value_at(model, shape, value, element, member_ref, options, 0);
}

void add_namespace(pugi::xml_node element, const Value* xml_namespace) {
  if (!xml_namespace || !element) return;
  if (xml_namespace->is_string()) {
    if (!element.attribute("xmlns"))
      element.append_attribute("xmlns").set_value(std::string(xml_namespace->get_string()).c_str());
    return;
  }
  const auto* obj = xml_namespace->if_object();
  if (!obj) return;
  const auto* uri = obj->if_contains("uri");
  if (!uri || !uri->is_string()) return;
  std::string attr = "xmlns";
  if (const auto* prefix = obj->if_contains("prefix"); prefix && prefix->is_string())
    attr += ":" + std::string(prefix->get_string());
  if (!element.attribute(attr.c_str()))
    element.append_attribute(attr.c_str()).set_value(std::string(uri->get_string()).c_str());
}

std::string to_string(const pugi::xml_document& doc, bool declaration) {
  std::ostringstream out;
  // pugixml's own declaration omits the encoding; AWS's carries it.
  if (declaration) out << R"(<?xml version="1.0" encoding="UTF-8"?>)";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  std::string text = out.str();
  // pugixml writes a carriage return in text and attribute values as is, and
  // every XML reader turns it into a newline. Raw output holds no markup
  // whitespace, so each one left is data: make it a character reference.
  if (text.find('\r') == std::string::npos) return text;
  std::string escaped;
  escaped.reserve(text.size() + 16);
  for (char c : text) {
    if (c == '\r')
      escaped += "&#13;";
    else
      escaped += c;
  }
  return escaped;
}

// ---- reading ----

Value read_members(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                   const ReadOptions& options) {
  return read_members_at(model, shape, element, options, 0);
}

Value read_value(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                 const json::object* member_ref, const ReadOptions& options) {
  return read_value_at(model, shape, element, member_ref, options, 0, local_name(element));
}

Value read_member(const ServiceModel& model, std::string_view name, const json::object& member_ref,
                  pugi::xml_node parent, const ReadOptions& options) {
  return read_member_at(model, name, member_ref, parent, options, 0);
}

void parse_document(pugi::xml_document& doc, std::string_view body, std::string_view error_code) {
  const auto result =
      doc.load_buffer(body.data(), body.size(),
                        pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_utf8);
  if (!result)
    throw AwsError(std::string(error_code),
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
}

std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (auto c : parent.children())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

void write_query_error(const ServiceModel& model, const Operation* op, const AwsError& error,
                       pugi::xml_node err) {
  const ErrorShape modeled = resolve_error_shape(model, op, error);
  const std::string code = modeled.shape ? modeled.query_code : error.code();
  err.append_child("Code").text().set(code.c_str());
  if (!error.message().empty()) err.append_child("Message").text().set(error.message().c_str());
  if (error.fields().empty() || !modeled.shape) return;
  // Code and Message are already written from the error itself.
  Object fields = error.fields();
  fields.erase("Code");
  fields.erase("Message");
  fields.erase("message");
  write_members(model, *modeled.shape, fields, err);
}

}  // namespace terrarium::protocol::xml
