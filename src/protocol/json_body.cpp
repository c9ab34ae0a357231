#include "protocol/json_body.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/aws_error.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"

namespace terrarium::protocol::json_body {

namespace json = boost::json;

namespace {

// Deep enough for any AWS shape; shallow enough that a hostile body cannot
// exhaust the stack of the recursive converters below.
constexpr std::size_t kMaxDepth = 128;

bool flag(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

std::string_view kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

// Value for whole-number doubles stays integral so handlers and comparisons
// see 946845296 rather than 946845296.0.
Value epoch_value(double seconds) {
  if (std::isfinite(seconds) && seconds == std::floor(seconds) &&
      std::fabs(seconds) < 9.0e15)
    return static_cast<int64_t>(seconds);
  return seconds;
}

class Reader {
 public:
  Reader(const ServiceModel& model, const Options& options) : model_(model), options_(options) {}

  Value read(const Shape& shape, const json::object* ref, const json::value& v,
             const std::string& path, std::size_t depth, bool top) const {
    if (depth > kMaxDepth) fail(path, "nesting is too deep");
    const std::string_view type = shape_type(shape);
    if (type == "structure") {
      if (flag(shape, "document")) return v;
      if (!v.is_object()) mismatch(path, "structure", v);
      return read_structure(shape, v.get_object(), path, depth, top);
    }
    if (type == "list") {
      if (!v.is_array()) mismatch(path, "list", v);
      const auto& member = shape.at("member").as_object();
      const Shape& member_shape = model_.resolve(member);
      const bool sparse = flag(shape, "sparse");
      Array out;
      out.reserve(v.get_array().size());
      std::size_t i = 0;
      for (const auto& item : v.get_array()) {
        const std::string item_path = path + "[" + std::to_string(i++) + "]";
        if (item.is_null()) {
          if (sparse) out.emplace_back(nullptr);
          continue;
        }
        out.push_back(read(member_shape, &member, item, item_path, depth + 1, false));
      }
      return out;
    }
    if (type == "map") {
      if (!v.is_object()) mismatch(path, "map", v);
      const auto& value_ref = shape.at("value").as_object();
      const Shape& value_shape = model_.resolve(value_ref);
      const bool sparse = flag(shape, "sparse");
      Object out;
      for (const auto& [key, item] : v.get_object()) {
        if (item.is_null()) {
          if (sparse) out[key] = nullptr;
          continue;
        }
        out[key] = read(value_shape, &value_ref, item, path + "." + std::string(key), depth + 1,
                        false);
      }
      return out;
    }
    return read_scalar(shape, ref, type, v, path);
  }

 private:
  Value read_structure(const Shape& shape, const json::object& in, const std::string& path,
                       std::size_t depth, bool top) const {
    Object out;
    const auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) return out;
    for (const auto& [name, ref_value] : members->get_object()) {
      const auto& ref = ref_value.as_object();
      if (top && options_.body_members_only && ref.contains("location")) continue;
      const auto* item = in.if_contains(wire_name(ref, name));
      if (!item || item->is_null()) continue;
      const std::string member_path = path.empty() ? std::string(name) : path + "." + std::string(name);
      out[name] = read(model_.resolve(ref), &ref, *item, member_path, depth + 1, false);
    }
    return out;
  }

  // Timestamps are read in any format AWS clients send, whatever the
  // member's timestampFormat, so the shape and reference are not needed.
  Value read_scalar(const Shape& /*shape*/, const json::object* /*ref*/, std::string_view type,
                    const json::value& v, const std::string& path) const {
    if (type == "string") {
      if (!v.is_string()) mismatch(path, "string", v);
      return v;
    }
    if (type == "boolean") {
      if (!v.is_bool()) mismatch(path, "boolean", v);
      return v;
    }
    if (type == "integer" || type == "long" || type == "short" || type == "byte") {
      if (v.is_int64()) return v;
      if (v.is_uint64()) {
        if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          fail(path, "number is out of range");
        return static_cast<int64_t>(v.get_uint64());
      }
      // Some clients write 5.0 for an integer; a fraction is a real error.
      if (v.is_double() && std::isfinite(v.get_double()) &&
          v.get_double() == std::floor(v.get_double()) && std::fabs(v.get_double()) < 9.2e18)
        return static_cast<int64_t>(v.get_double());
      mismatch(path, "integer", v);
    }
    if (type == "float" || type == "double") {
      if (v.is_double()) return v;
      if (v.is_int64()) return static_cast<double>(v.get_int64());
      if (v.is_uint64()) return static_cast<double>(v.get_uint64());
      if (v.is_string()) {
        const auto& s = v.get_string();
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
      }
      mismatch(path, "number", v);
    }
    if (type == "blob") {
      if (!v.is_string()) mismatch(path, "base64 string", v);
      auto bytes = base64_decode(v.get_string());
      if (!bytes) fail(path, "is not valid base64");
      return json::string(*bytes);
    }
    if (type == "timestamp") {
      if (v.is_int64() || v.is_uint64() || v.is_double()) {
        const double seconds = *epoch_of(v);
        if (!std::isfinite(seconds)) fail(path, "is not a valid timestamp");
        return epoch_value(seconds);
      }
      if (v.is_string()) {
        if (auto seconds = parse_timestamp(v.get_string())) return epoch_value(*seconds);
        fail(path, "is not a valid timestamp");
      }
      mismatch(path, "timestamp", v);
    }
    // Unknown scalar kinds (future shape types): pass the JSON through.
    return v;
  }

  [[noreturn]] void mismatch(const std::string& path, std::string_view expected,
                             const json::value& got) const {
    fail(path, "expected " + std::string(expected) + " but found " + std::string(kind_of(got)));
  }

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    const std::string where = path.empty() ? std::string("body") : "'" + path + "'";
    throw AwsError(options_.error_code, "Cannot deserialize " + where + ": " + what, 400);
  }

  const ServiceModel& model_;
  const Options& options_;
};

class Writer {
 public:
  Writer(const ServiceModel& model, const Options& options) : model_(model), options_(options) {}

  json::value write(const Shape& shape, const json::object* ref, const Value& v, std::size_t depth,
                    bool top) const {
    if (depth > kMaxDepth) return nullptr;
    const std::string_view type = shape_type(shape);
    if (type == "structure") {
      if (flag(shape, "document")) return v;
      json::object out;
      const auto* in = v.if_object();
      const auto* members = shape.if_contains("members");
      if (!in || !members || !members->is_object()) return out;
      for (const auto& [name, ref_value] : members->get_object()) {
        const auto& member_ref = ref_value.as_object();
        if (top && options_.body_members_only && member_ref.contains("location")) continue;
        const auto* item = in->if_contains(name);
        if (!item || item->is_null()) continue;
        out[wire_name(member_ref, name)] =
            write(model_.resolve(member_ref), &member_ref, *item, depth + 1, false);
      }
      return out;
    }
    if (type == "list") {
      json::array out;
      const auto& member = shape.at("member").as_object();
      const Shape& member_shape = model_.resolve(member);
      if (const auto* in = v.if_array()) {
        out.reserve(in->size());
        for (const auto& item : *in)
          out.push_back(item.is_null() ? json::value(nullptr)
                                       : write(member_shape, &member, item, depth + 1, false));
      }
      return out;
    }
    if (type == "map") {
      json::object out;
      const auto& value_ref = shape.at("value").as_object();
      const Shape& value_shape = model_.resolve(value_ref);
      if (const auto* in = v.if_object()) {
        for (const auto& [key, item] : *in)
          out[key] = item.is_null() ? json::value(nullptr)
                                    : write(value_shape, &value_ref, item, depth + 1, false);
      }
      return out;
    }
    return write_scalar(shape, ref, type, v);
  }

 private:
  json::value write_scalar(const Shape& shape, const json::object* ref, std::string_view type,
                           const Value& v) const {
    if (type == "string") {
      if (v.is_string()) return v;
      if (v.is_null()) return nullptr;
      return json::string(json::serialize(v));
    }
    if (type == "boolean") {
      if (v.is_bool()) return v;
      if (v.is_string()) return v.get_string() == "true";
      if (auto n = epoch_of(v)) return *n != 0;
      return v;
    }
    if (type == "integer" || type == "long" || type == "short" || type == "byte") {
      if (v.is_int64() || v.is_uint64()) return v;
      if (v.is_double()) {
        const double d = v.get_double();
        if (std::isfinite(d) && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
        return v;
      }
      if (v.is_string()) {
        int64_t n = 0;
        const auto& s = v.get_string();
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && ptr == s.data() + s.size()) return n;
      }
      return v;
    }
    if (type == "float" || type == "double") {
      // Integers stay as written; strings are "NaN"/"Infinity" already in
      // wire form (as botocore's params spell them).
      if (!v.is_double()) return v;
      const double d = v.get_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    if (type == "blob") {
      if (v.is_string()) return json::string(base64_encode(v.get_string()));
      return v;
    }
    if (type == "timestamp") {
      std::optional<double> seconds = epoch_of(v);
      if (!seconds && v.is_string()) seconds = parse_timestamp(v.get_string());
      if (!seconds) return v;
      const std::string_view format =
          timestamp_format(ref, shape, options_.default_timestamp_format);
      if (format == "iso8601") return json::string(format_iso8601(*seconds));
      if (format == "rfc822") return json::string(format_rfc822(*seconds));
      // Millisecond precision, as AWS services answer.
      const double rounded = std::round(*seconds * 1000.0) / 1000.0;
      return epoch_value(rounded);
    }
    return v;
  }

  const ServiceModel& model_;
  const Options& options_;
};

// Boost.JSON writes doubles as 1.2345E3; clients parse that, but humans and
// some strict tools prefer the shortest plain form, which std::to_chars gives.
void write_text(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      char buf[64];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
      if (ec != std::errc()) {
        out += json::serialize(v);
        return;
      }
      std::string_view text(buf, static_cast<std::size_t>(ptr - buf));
      out += text;
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_text(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        write_text(item, out);
      }
      out += '}';
      return;
    }
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string_view wire_name(const json::object& member_ref, std::string_view member) {
  for (const char* key : {"jsonName", "locationName"}) {
    const auto* v = member_ref.if_contains(key);
    if (v && v->is_string() && !v->get_string().empty()) return v->get_string();
  }
  return member;
}

std::string_view timestamp_format(const json::object* member_ref, const Shape& shape,
                                  std::string_view fallback) {
  if (member_ref) {
    const auto* v = member_ref->if_contains("timestampFormat");
    if (v && v->is_string()) return v->get_string();
  }
  const auto* v = shape.if_contains("timestampFormat");
  if (v && v->is_string()) return v->get_string();
  return fallback;
}

std::string format_timestamp(double epoch_seconds, std::string_view format) {
  if (format == "iso8601") return format_iso8601(epoch_seconds);
  if (format == "rfc822") return format_rfc822(epoch_seconds);
  return format_epoch(epoch_seconds);
}

std::optional<double> parse_timestamp(std::string_view text) { return parse_any_timestamp(text); }

std::optional<double> epoch_of(const Value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

Value parse(const ServiceModel& model, const Shape& shape, std::string_view body,
            const Options& options) {
  std::size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return Object{};
  json::parse_options parse_options;
  parse_options.max_depth = kMaxDepth;
  std::error_code ec;
  json::value doc = json::parse(body, ec, json::storage_ptr(), parse_options);
  if (ec) throw AwsError(options.error_code, "Request body is not valid JSON: " + ec.message(), 400);
  if (shape_type(shape) == "structure" && !flag(shape, "document") && !doc.is_object())
    throw AwsError(options.error_code,
                   "Request body must be a JSON object, found " + std::string(kind_of(doc)), 400);
  return from_json(model, shape, doc, options);
}

Value from_json(const ServiceModel& model, const Shape& shape, const json::value& doc,
                const Options& options) {
  if (doc.is_null()) return shape_type(shape) == "structure" ? Value(Object{}) : Value(nullptr);
  return Reader(model, options).read(shape, nullptr, doc, "", 0, true);
}

json::value to_json(const ServiceModel& model, const Shape& shape, const Value& value,
                    const Options& options) {
  return Writer(model, options).write(shape, nullptr, value, 0, true);
}

std::string to_text(const json::value& value) {
  std::string out;
  write_text(value, out);
  return out;
}

std::string serialize(const ServiceModel& model, const Shape& shape, const Value& value,
                      const Options& options) {
  std::string out;
  write_text(to_json(model, shape, value, options), out);
  return out;
}

}  // namespace terrarium::protocol::json_body
