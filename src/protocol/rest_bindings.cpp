#include "protocol/rest_bindings.hpp"

#include "auth/aws_chunked.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <unordered_map>

#include "core/ascii.hpp"
#include "core/aws_error.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "protocol/error_shape.hpp"

namespace terrarium::protocol::rest {

namespace json = boost::json;

namespace {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Clients other than botocore omit this literal, which only names the
// operation for logs: it may be absent, but when present it must match.
constexpr std::string_view kOptionalQueryLiteral = "x-id";

// Large enough that an operation missing a required binding loses to any
// operation that has all of its own.
constexpr int kMissingRequiredPenalty = 1000;

struct Token {
  bool label = false;
  bool greedy = false;
  std::string text;  // literal text, or the label name without '+'
};

struct QueryLiteral {
  std::string key;
  std::optional<std::string> value;
};

struct UriTemplate {
  std::vector<Token> path;
  std::vector<QueryLiteral> query;
  int specificity = 0;
};

int compute_specificity(std::string_view request_uri_template, const UriTemplate& tmpl);

UriTemplate compile_template(std::string_view tmpl) {
  UriTemplate out;
  const auto q = tmpl.find('?');
  std::string_view path = tmpl.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : tmpl.substr(q + 1);
  size_t pos = 0;
  while (pos < path.size()) {
    const auto open = path.find('{', pos);
    if (open == std::string_view::npos) {
      out.path.push_back({false, false, std::string(path.substr(pos))});
      break;
    }
    if (open > pos) out.path.push_back({false, false, std::string(path.substr(pos, open - pos))});
    const auto close = path.find('}', open);
    if (close == std::string_view::npos) {  // malformed template: treat the rest as literal
      out.path.push_back({false, false, std::string(path.substr(open))});
      break;
    }
    std::string_view name = path.substr(open + 1, close - open - 1);
    Token t;
    t.label = true;
    if (!name.empty() && name.back() == '+') {
      t.greedy = true;
      name.remove_suffix(1);
    }
    t.text = std::string(name);
    out.path.push_back(std::move(t));
    pos = close + 1;
  }
  for (auto& [k, v] : http::parse_form(query, false)) {
    // parse_form cannot tell "?uploads" from "?uploads=": a literal without '='
    // only requires the key.
    QueryLiteral lit{k, std::nullopt};
    const auto at = query.find(k);
    if (at != std::string_view::npos && at + k.size() < query.size() && query[at + k.size()] == '=')
      lit.value = v;
    out.query.push_back(std::move(lit));
  }
  out.specificity = compute_specificity(tmpl, out);
  return out;
}

// Templates come from the models, so the set is bounded: each is compiled
// once and kept, since routing tries every operation of a service.
const UriTemplate& parse_template(std::string_view tmpl) {
  static std::shared_mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<const UriTemplate>> cache;
  {
    std::shared_lock lock(mutex);
    auto it = cache.find(std::string(tmpl));
    if (it != cache.end()) return *it->second;
  }
  auto compiled = std::make_unique<const UriTemplate>(compile_template(tmpl));
  std::unique_lock lock(mutex);
  auto [it, inserted] = cache.emplace(std::string(tmpl), std::move(compiled));
  return *it->second;
}

// Backtracking match of tokens[i..] against path[pos..]. Labels match one or
// more characters other than '/', greedy labels one or more of anything.
bool match_tokens(const std::vector<Token>& tokens, size_t i, std::string_view path, size_t pos,
                  std::vector<std::pair<std::string_view, std::string_view>>& captured) {
  if (i == tokens.size()) return pos == path.size();
  const Token& t = tokens[i];
  if (!t.label) {
    if (path.substr(pos, t.text.size()) != t.text) return false;
    return match_tokens(tokens, i + 1, path, pos + t.text.size(), captured);
  }
  size_t limit = path.size();
  if (!t.greedy) {
    const auto slash = path.find('/', pos);
    if (slash != std::string_view::npos) limit = slash;
  }
  // Longest first, so a greedy label takes all it can.
  for (size_t end = limit; end > pos; --end) {
    captured.emplace_back(t.text, path.substr(pos, end - pos));
    if (match_tokens(tokens, i + 1, path, end, captured)) return true;
    captured.pop_back();
  }
  return false;
}

std::optional<UriLabels> match_path(const UriTemplate& tmpl, std::string_view raw_path) {
  std::vector<std::pair<std::string_view, std::string_view>> captured;
  if (!match_tokens(tmpl.path, 0, raw_path, 0, captured)) return std::nullopt;
  UriLabels labels;
  for (auto& [name, value] : captured) labels[std::string(name)] = http::percent_decode(value);
  return labels;
}

bool query_literals_present(const UriTemplate& tmpl, const QueryPairs& query) {
  for (const auto& lit : tmpl.query) {
    bool found = false;
    bool mismatched = false;
    for (const auto& [k, v] : query) {
      if (k != lit.key) continue;
      if (!lit.value || v == *lit.value) {
        found = true;
        break;
      }
      mismatched = true;
    }
    if (found) continue;
    if (lit.key == kOptionalQueryLiteral && !mismatched) continue;
    return false;
  }
  return true;
}

std::string_view string_field(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

bool bool_field(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

// The wire name of a bound member: its locationName, else the member name.
std::string_view location_name(const json::object& member_ref, std::string_view member) {
  auto name = string_field(member_ref, "locationName");
  return name.empty() ? member : name;
}

std::string_view timestamp_format_of(const Shape& shape, const json::object* member_ref,
                                     std::string_view fallback) {
  if (member_ref) {
    auto f = string_field(*member_ref, "timestampFormat");
    if (!f.empty()) return f;
  }
  auto f = string_field(shape, "timestampFormat");
  return f.empty() ? fallback : f;
}

bool is_jsonvalue(const Shape& shape, const json::object* member_ref) {
  return bool_field(shape, "jsonvalue") || (member_ref && bool_field(*member_ref, "jsonvalue"));
}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

std::string format_integer(const Value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return std::to_string(static_cast<int64_t>(v.get_double()));
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Value epoch_value(double seconds) {
  if (seconds == std::floor(seconds) && std::fabs(seconds) < 9.0e15)
    return Value(static_cast<int64_t>(seconds));
  return Value(seconds);
}

std::string format_timestamp(double seconds, std::string_view format) {
  if (format == "iso8601") return format_iso8601(seconds);
  if (format == "unixTimestamp") return format_epoch(seconds);
  return format_rfc822(seconds);
}

std::optional<double> parse_timestamp(std::string_view text, std::string_view format) {
  std::optional<double> v;
  if (format == "iso8601")
    v = parse_iso8601(text);
  else if (format == "unixTimestamp")
    v = parse_epoch(text);
  else
    v = parse_rfc822(text);
  if (v) return v;
  // Clients are not always faithful to the model's format; accept any.
  return parse_any_timestamp(text);
}

// An HTTP-date contains a comma, so a header list of them splits in pairs.
std::vector<std::string> split_timestamp_list(std::string_view text, std::string_view format) {
  std::vector<std::string> parts = split_header_list(text);
  if (format != "rfc822") return parts;
  std::vector<std::string> out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i + 1 < parts.size() && parts[i].size() <= 3 && !parse_any_timestamp(parts[i])) {
      out.push_back(parts[i] + ", " + parts[i + 1]);
      ++i;
    } else {
      out.push_back(parts[i]);
    }
  }
  return out;
}

std::string quote_list_item(std::string_view s) {
  if (s.find_first_of(",\"") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

[[noreturn]] void malformed(std::string_view code, std::string_view where, std::string_view name,
                            std::string_view text, std::string_view type) {
  // Echo a bounded prefix: the value may be a huge header.
  throw AwsError(std::string(code),
                 "Invalid value '" + std::string(text.substr(0, 256)) + "' for " +
                     std::string(where) + " " + std::string(name) + ": expected " +
                     std::string(type),
                 400);
}

const json::object* members_of(const Shape& shape) {
  const auto* m = shape.if_contains("members");
  return m && m->is_object() ? &m->get_object() : nullptr;
}

std::vector<std::string> required_of(const Shape& shape) {
  std::vector<std::string> out;
  if (const auto* r = shape.if_contains("required"); r && r->is_array())
    for (const auto& v : r->get_array())
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

// A header value from a handler's Value may hold anything; CR/LF/NUL would
// split or break the response, so they become spaces. A name that is not an
// HTTP token (a map key from a request body) is dropped.
void set_safe_header(http::Response& response, std::string name, std::string value) {
  if (name.empty()) return;
  for (unsigned char c : name)
    if (c <= 32 || c >= 127 ||
        std::string_view("\"(),/:;<=>?@[\\]{}").find(static_cast<char>(c)) !=
            std::string_view::npos)
      return;
  for (char& c : value)
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  response.set_header(std::move(name), std::move(value));
}

}  // namespace

// ---------------------------------------------------------------------------
// Routing

std::optional<UriLabels> match_uri(std::string_view request_uri_template, std::string_view raw_path,
                                   const QueryPairs& query) {
  const UriTemplate& tmpl = parse_template(request_uri_template);
  if (!query_literals_present(tmpl, query)) return std::nullopt;
  if (raw_path.empty()) raw_path = "/";
  if (auto labels = match_path(tmpl, raw_path)) return labels;
  // "/bucket/" for "/{Bucket}", "/functions" for "/functions/": tolerated.
  if (raw_path.size() > 1 && raw_path.back() == '/') {
    raw_path.remove_suffix(1);
    return match_path(tmpl, raw_path);
  }
  return match_path(tmpl, std::string(raw_path) + "/");
}

std::optional<UriLabels> match_request_uri(std::string_view request_uri_template,
                                           const http::Request& request) {
  return match_uri(request_uri_template, request.raw_path(), request.query_params());
}

int uri_template_specificity(std::string_view request_uri_template) {
  return parse_template(request_uri_template).specificity;
}

namespace {
int compute_specificity(std::string_view request_uri_template, const UriTemplate& tmpl) {
  // Score per path segment: a literal segment 4, a segment with a label 2
  // (3 when it also holds literal text), a greedy label 1.
  int score = 0;
  std::string_view path = request_uri_template.substr(0, request_uri_template.find('?'));
  size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(pos, slash - pos);
    if (!seg.empty()) {
      const bool has_label = seg.find('{') != std::string_view::npos;
      const bool greedy = seg.find("+}") != std::string_view::npos;
      const bool pure_label = has_label && seg.front() == '{' && seg.back() == '}' &&
                              seg.find('{', 1) == std::string_view::npos;
      if (greedy)
        score += 1;
      else if (!has_label)
        score += 4;
      else
        score += pure_label ? 2 : 3;
    }
    pos = slash + 1;
  }
  for (const auto& lit : tmpl.query)
    if (lit.key != kOptionalQueryLiteral) score += 3;
  return score;
}
}  // namespace

std::optional<OperationMatch> match_operation(const ServiceModel& model, const Operation& op,
                                              std::string_view method, std::string_view raw_path,
                                              const QueryPairs& query,
                                              const http::Headers& headers) {
  if (op.http_method != method) return std::nullopt;
  auto labels = match_uri(op.request_uri, raw_path, query);
  if (!labels) return std::nullopt;
  OperationMatch m;
  m.operation = &op;
  m.labels = std::move(*labels);
  m.score = uri_template_specificity(op.request_uri) * 10;
  const UriTemplate& tmpl = parse_template(op.request_uri);
  for (const auto& lit : tmpl.query)
    if (lit.key == kOptionalQueryLiteral)
      for (const auto& [k, v] : query)
        if (k == lit.key) m.score += 30;
  if (op.input) {
    const auto* members = members_of(*op.input);
    for (const auto& name : required_of(*op.input)) {
      if (!members) break;
      const auto* ref_v = members->if_contains(name);
      if (!ref_v || !ref_v->is_object()) continue;
      const auto& ref = ref_v->get_object();
      const auto location = string_field(ref, "location");
      const auto wire = location_name(ref, name);
      bool present;
      if (location == "querystring") {
        present = std::any_of(query.begin(), query.end(),
                              [&](const auto& kv) { return kv.first == wire; });
      } else if (location == "header") {
        present = headers.find(wire) != headers.end();
      } else {
        continue;
      }
      m.score += present ? 1 : -kMissingRequiredPenalty;
    }
  }
  // S3 keeps deprecated twins on the same template (GetBucketLifecycle and
  // GetBucketLifecycleConfiguration): the current one wins.
  if (op.definition && bool_field(*op.definition, "deprecated")) m.score -= 1;
  (void)model;
  return m;
}

std::optional<OperationMatch> find_operation(const ServiceModel& model, std::string_view method,
                                             std::string_view raw_path, const QueryPairs& query,
                                             const http::Headers& headers) {
  std::optional<OperationMatch> best;
  for (const auto& op : model.operations()) {
    auto m = match_operation(model, op, method, raw_path, query, headers);
    if (m && (!best || m->score > best->score)) best = std::move(m);
  }
  return best;
}

std::optional<OperationMatch> find_operation(const ServiceModel& model,
                                             const http::Request& request) {
  return find_operation(model, request.method, request.raw_path(), request.query_params(),
                        request.headers);
}

// ---------------------------------------------------------------------------
// Scalars

std::string scalar_to_text(const Shape& shape, const json::object* member_ref, const Value& v,
                           std::string_view timestamp_default, bool base64_blobs) {
  const auto type = shape_type(shape);
  if (type == "boolean") {
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    if (v.is_string()) return std::string(v.get_string());
    return json::serialize(v);
  }
  if (type == "integer" || type == "long") return format_integer(v);
  if (type == "float" || type == "double") {
    if (auto d = number_of(v)) return format_double(*d);
    if (v.is_string()) return std::string(v.get_string());
    return json::serialize(v);
  }
  if (type == "timestamp") {
    std::optional<double> seconds = number_of(v);
    if (!seconds && v.is_string()) seconds = parse_any_timestamp(v.get_string());
    if (!seconds) return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
    return format_timestamp(*seconds, timestamp_format_of(shape, member_ref, timestamp_default));
  }
  if (type == "blob") {
    std::string_view raw = v.is_string() ? std::string_view(v.get_string()) : std::string_view();
    return base64_blobs ? base64_encode(raw) : std::string(raw);
  }
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

std::optional<Value> text_to_scalar(const Shape& shape, const json::object* member_ref,
                                    std::string_view text, std::string_view timestamp_default,
                                    bool base64_blobs) {
  const auto type = shape_type(shape);
  if (type == "boolean") {
    const auto t = trim(text);
    if (t == "true") return Value(true);
    if (t == "false") return Value(false);
    return std::nullopt;
  }
  if (type == "integer" || type == "long") {
    const auto t = trim(text);
    int64_t n = 0;
    auto res = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || res.ec != std::errc() || res.ptr != t.data() + t.size()) return std::nullopt;
    if (type == "integer" &&
        (n > std::numeric_limits<int32_t>::max() || n < std::numeric_limits<int32_t>::min()))
      return std::nullopt;
    return Value(n);
  }
  if (type == "float" || type == "double") {
    const auto t = trim(text);
    if (t == "NaN") return Value(std::numeric_limits<double>::quiet_NaN());
    if (t == "Infinity") return Value(std::numeric_limits<double>::infinity());
    if (t == "-Infinity") return Value(-std::numeric_limits<double>::infinity());
    double d = 0;
    auto res = std::from_chars(t.data(), t.data() + t.size(), d);
    if (t.empty() || res.ec != std::errc() || res.ptr != t.data() + t.size()) return std::nullopt;
    return Value(d);
  }
  if (type == "timestamp") {
    auto seconds =
        parse_timestamp(trim(text), timestamp_format_of(shape, member_ref, timestamp_default));
    if (!seconds) return std::nullopt;
    return epoch_value(*seconds);
  }
  if (type == "blob" && base64_blobs) {
    auto raw = base64_decode(trim(text));
    if (!raw) return std::nullopt;
    return Value(json::string(*raw));
  }
  return Value(json::string(text));
}

std::vector<std::string> split_header_list(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = text.size();
  if (trim(text).empty()) return out;
  while (i <= n) {
    while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string item;
    if (i < n && text[i] == '"') {
      ++i;
      while (i < n && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < n) ++i;
        item.push_back(text[i++]);
      }
      if (i < n) ++i;  // closing quote
      while (i < n && text[i] != ',') ++i;
    } else {
      const size_t start = i;
      while (i < n && text[i] != ',') ++i;
      item = std::string(trim(text.substr(start, i - start)));
    }
    out.push_back(std::move(item));
    ++i;  // past the comma (or the end)
  }
  return out;
}

// ---------------------------------------------------------------------------
// Request side

std::string payload_member_name(const Shape& shape) {
  return std::string(string_field(shape, "payload"));
}

bool is_location_bound(const json::object& member_ref) {
  return !string_field(member_ref, "location").empty();
}

bool is_raw_payload(const ServiceModel& model, const Shape& shape) {
  const auto payload = string_field(shape, "payload");
  if (payload.empty()) return false;
  const auto* members = members_of(shape);
  if (!members) return false;
  const auto* ref = members->if_contains(payload);
  if (!ref || !ref->is_object()) return false;
  const auto type = shape_type(model.resolve(ref->get_object()));
  return type == "blob" || type == "string";
}

void parse_bound_members(const ServiceModel& model, const Operation& op,
                         const http::Request& request, const UriLabels* labels, Object& out,
                         std::string_view malformed_code) {
  if (!op.input) return;
  const auto* members = members_of(*op.input);
  if (!members) return;

  const QueryPairs query = request.query_params();
  const UriTemplate& tmpl = parse_template(op.request_uri);
  UriLabels matched;
  if (!labels) {
    // A request behind a base path (an endpoint "host/custom") carries extra
    // leading segments: drop them until the template fits.
    std::string_view path = request.raw_path();
    while (true) {
      if (auto m = match_uri(op.request_uri, path, query)) {
        matched = std::move(*m);
        break;
      }
      const auto next = path.find('/', 1);
      if (path.size() <= 1 || next == std::string_view::npos) break;
      path.remove_prefix(next);
    }
    labels = &matched;
  }

  for (const auto& [name_key, ref_value] : *members) {
    if (!ref_value.is_object()) continue;
    const std::string_view name = name_key;
    const auto& ref = ref_value.get_object();
    const auto location = string_field(ref, "location");
    if (location.empty() || location == "statusCode") continue;
    const Shape& target = model.resolve(ref);
    const auto type = shape_type(target);
    const auto wire = location_name(ref, name);

    if (location == "uri") {
      auto it = labels->find(wire);
      if (it == labels->end()) continue;
      auto v = text_to_scalar(target, &ref, it->second, "iso8601");
      if (!v) malformed(malformed_code, "path label", wire, it->second, type);
      out[name] = std::move(*v);
    } else if (location == "querystring") {
      if (type == "map") {
        // Every query parameter but the template's literals, as the map's
        // value type asks: a list of all values, or the first value.
        const Shape& value_shape = model.resolve(target.at("value").as_object());
        const bool lists = shape_type(value_shape) == "list";
        Object map;
        for (const auto& [k, v] : query) {
          const std::string& key = k;  // clang 14 cannot capture structured bindings
          const bool literal = std::any_of(tmpl.query.begin(), tmpl.query.end(),
                                           [&](const auto& lit) { return lit.key == key; });
          if (literal) continue;
          if (lists) {
            auto& slot = map[k];
            if (!slot.is_array()) slot = Array();
            slot.as_array().emplace_back(json::string(v));
          } else if (!map.contains(k)) {
            map[k] = json::string(v);
          }
        }
        if (!map.empty()) out[name] = std::move(map);
      } else if (type == "list") {
        const auto& member_ref = target.at("member").as_object();
        const Shape& item_shape = model.resolve(member_ref);
        Array items;
        bool any = false;
        for (const auto& [k, v] : query) {
          if (k != wire) continue;
          any = true;
          auto item = text_to_scalar(item_shape, &member_ref, v, "iso8601");
          if (!item) malformed(malformed_code, "query parameter", wire, v, shape_type(item_shape));
          items.push_back(std::move(*item));
        }
        if (any) out[name] = std::move(items);
      } else {
        for (const auto& [k, v] : query) {
          if (k != wire) continue;
          auto value = text_to_scalar(target, &ref, v, "iso8601");
          if (!value) malformed(malformed_code, "query parameter", wire, v, type);
          out[name] = std::move(*value);
          break;
        }
      }
    } else if (location == "header") {
      auto it = request.headers.find(wire);
      if (it == request.headers.end()) continue;
      const std::string& text = it->second;
      if (type == "list") {
        const auto& member_ref = target.at("member").as_object();
        const Shape& item_shape = model.resolve(member_ref);
        std::vector<std::string> parts;
        if (shape_type(item_shape) == "timestamp")
          parts =
              split_timestamp_list(text, timestamp_format_of(item_shape, &member_ref, "rfc822"));
        else
          parts = split_header_list(text);
        Array items;
        for (const auto& part : parts) {
          auto item = text_to_scalar(item_shape, &member_ref, part, "rfc822", true);
          if (!item) malformed(malformed_code, "header", wire, part, shape_type(item_shape));
          items.push_back(std::move(*item));
        }
        out[name] = std::move(items);
      } else if (is_jsonvalue(target, &ref)) {
        // base64 of a JSON document; the Value is the document, as botocore
        // has it (text that is not JSON stays a string).
        auto decoded = base64_decode(trim(text));
        if (!decoded) malformed(malformed_code, "header", wire, text, "base64-encoded JSON");
        std::error_code ec;
        Value doc = json::parse(*decoded, ec);
        out[name] = ec ? Value(json::string(*decoded)) : std::move(doc);
      } else if (iequals(wire, "Content-Encoding")) {
        // aws-chunked is the transport's, not the object's encoding.
        std::string kept;
        for (const auto& token : split_header_list(text)) {
          if (token.empty() || iequals(token, "aws-chunked")) continue;
          if (!kept.empty()) kept += ",";
          kept += token;
        }
        if (!kept.empty() || text.empty()) out[name] = json::string(kept);
      } else {
        if (text.empty() && type != "string" && type != "blob") continue;
        auto v = text_to_scalar(target, &ref, text, "rfc822", true);
        if (!v) malformed(malformed_code, "header", wire, text, type);
        out[name] = std::move(*v);
      }
    } else if (location == "headers") {
      // A prefix map: every header starting with the prefix, minus it.
      const std::string prefix = ascii_lower(string_field(ref, "locationName"));
      Object map;
      for (const auto& [hname, hvalue] : request.headers) {
        if (hname.size() > prefix.size() && istarts_with(hname, prefix))
          map[hname.substr(prefix.size())] = json::string(hvalue);
      }
      out[name] = std::move(map);
    }
  }
}

// ---------------------------------------------------------------------------
// Response side

void serialize_bound_members(const ServiceModel& model, const Shape& shape, const Value& value,
                             http::Response& response) {
  const auto* members = members_of(shape);
  const auto* obj = value.if_object();
  if (!members || !obj) return;
  for (const auto& [name_key, ref_value] : *members) {
    if (!ref_value.is_object()) continue;
    const std::string_view name = name_key;
    const auto& ref = ref_value.get_object();
    const auto location = string_field(ref, "location");
    if (location.empty()) continue;
    const auto* v = obj->if_contains(name);
    if (!v || v->is_null()) continue;
    const Shape& target = model.resolve(ref);
    const auto type = shape_type(target);
    const auto wire = location_name(ref, name);

    if (location == "statusCode") {
      if (auto n = number_of(*v)) response.status = static_cast<int>(*n);
    } else if (location == "header") {
      if (type == "list") {
        const auto* items = v->if_array();
        if (!items || items->empty()) continue;
        const auto& member_ref = target.at("member").as_object();
        const Shape& item_shape = model.resolve(member_ref);
        const bool strings = shape_type(item_shape) == "string" || shape_type(item_shape) == "enum";
        std::string joined;
        for (const auto& item : *items) {
          if (item.is_null()) continue;
          if (!joined.empty()) joined += ", ";
          std::string text = scalar_to_text(item_shape, &member_ref, item, "rfc822", true);
          joined += strings ? quote_list_item(text) : text;
        }
        set_safe_header(response, std::string(wire), std::move(joined));
      } else if (is_jsonvalue(target, &ref)) {
        set_safe_header(response, std::string(wire), base64_encode(json::serialize(*v)));
      } else {
        set_safe_header(response, std::string(wire),
                        scalar_to_text(target, &ref, *v, "rfc822", true));
      }
    } else if (location == "headers") {
      const auto* map = v->if_object();
      if (!map) continue;
      for (const auto& [k, item] : *map) {
        if (item.is_null()) continue;
        set_safe_header(response, std::string(string_field(ref, "locationName")) + std::string(k),
                        item.is_string() ? std::string(item.get_string()) : json::serialize(item));
      }
    }
    // uri and querystring members have no place in a response.
  }
}

int response_status(const Operation& op) {
  if (op.definition) {
    if (const auto* h = op.definition->if_contains("http"); h && h->is_object()) {
      if (const auto* code = h->get_object().if_contains("responseCode")) {
        if (auto n = number_of(*code)) return static_cast<int>(*n);
      }
    }
  }
  return 200;
}

// ---------------------------------------------------------------------------
// Shared by the two REST families

std::string decoded_body(const http::Request& request) {
  const auto mode = auth::chunked_mode(request);
  if (!mode) return request.body;
  // The server may already have decoded the chunks while streaming the
  // upload: then the body has the decoded length every aws-chunked client
  // announces, which the framed body always exceeds.
  if (auto len = request.header("x-amz-decoded-content-length")) {
    size_t n = 0;
    const auto t = trim(*len);
    auto res = std::from_chars(t.data(), t.data() + t.size(), n);
    if (res.ec == std::errc() && res.ptr == t.data() + t.size() && n == request.body.size())
      return request.body;
  }
  // Chunk signatures are the authenticator's business, not the parser's.
  return auth::decode_aws_chunked(request, *mode, std::nullopt).body;
}

bool is_blank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

namespace {
// In a response only headers and the status code are outside the body; a
// structure shared with the request has its uri/querystring members there.
bool in_body(const json::object& ref, bool response) {
  const auto location = string_field(ref, "location");
  if (location.empty()) return true;
  return response && (location == "uri" || location == "querystring");
}
}  // namespace

bool has_body_members(const Shape& shape, bool response) {
  const auto* members = members_of(shape);
  if (!members) return false;
  for (const auto& [name, ref] : *members)
    if (ref.is_object() && in_body(ref.get_object(), response)) return true;
  return false;
}

const Shape& response_body_shape(const Shape& shape, Shape& storage) {
  const auto* members = members_of(shape);
  if (!members) return shape;
  bool rebound = false;
  for (const auto& [name, ref] : *members)
    if (ref.is_object() && ref.get_object().contains("location") && in_body(ref.get_object(), true))
      rebound = true;
  if (!rebound) return shape;
  storage = shape;
  for (auto& [name, ref] : storage["members"].as_object()) {
    auto& r = ref.as_object();
    // The locationName stays: botocore reads it as the element/key name.
    if (r.contains("location") && in_body(r, true)) r.erase("location");
  }
  return storage;
}

void set_raw_payload(const ServiceModel& model, const json::object& member_ref, const Value& value,
                     http::Response& response) {
  const Shape& target = model.resolve(member_ref);
  if (value.is_string())
    response.body = std::string(value.get_string());
  else if (!value.is_null())
    response.body = json::serialize(value);
  if (!response.header("Content-Type"))
    response.set_header("Content-Type",
                        shape_type(target) == "blob" ? "application/octet-stream" : "text/plain");
}

const Shape* error_shape(const ServiceModel& model, const Operation* op, std::string_view code) {
  // One resolution for every family (protocol/error_shape).
  return resolve_error_shape(model, op, AwsError(std::string(code), "")).shape;
}

int error_status(const Shape* shape, const AwsError& error) {
  if (shape) {
    if (const auto* e = shape->if_contains("error"); e && e->is_object()) {
      if (const auto* status = e->get_object().if_contains("httpStatusCode")) {
        if (auto n = number_of(*status)) return static_cast<int>(*n);
      }
    }
  }
  return error.http_status();
}

}  // namespace terrarium::protocol::rest
