#include "protocol/validate.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/aws_error.hpp"
#include "protocol/protocol.hpp"

namespace terrarium::protocol {

namespace json = boost::json;

namespace {

// AWS never lists more than this many problems in one message.
constexpr size_t kMaxReported = 10;
// std::regex recurses per character; longer strings are not pattern-checked.
constexpr size_t kMaxPatternInput = 1024;

struct Problems {
  std::vector<std::string> messages;
  std::string first_missing;  // for ec2's MissingParameter
  // What the first problem is, as services that answer InvalidInputException
  // with a Reason name it (Organizations): INPUT_REQUIRED, INVALID_PATTERN...
  std::string first_reason;
};

// AWS reports member paths in lowerCamelCase: 'roleArn', 'tags.1.member.key'.
std::string lower_first(std::string_view name) {
  std::string s(name);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string render(const Value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "null";
  return json::serialize(v);
}

// Java regex constructs that ECMAScript lacks or reads differently
// (\p{L} would silently mean "p{L}").
bool java_only(std::string_view pattern) {
  for (std::string_view construct : {"\\p", "\\P", "(?", "\\Q", "\\A", "\\z", "\\Z", "\\h", "++", "*+", "?+"})
    if (pattern.find(construct) != std::string_view::npos) return true;
  return false;
}

bool ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Patterns are compiled once. AWS's Java-flavoured patterns that std::regex
// cannot read as Java does are skipped rather than guessed at.
const std::regex* compiled_pattern(const std::string& pattern) {
  if (java_only(pattern)) return nullptr;
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<std::regex>> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    std::unique_ptr<std::regex> re;
    try {
      re = std::make_unique<std::regex>(pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error&) {
    }
    it = cache.emplace(pattern, std::move(re)).first;
  }
  return it->second.get();
}

class Validator {
 public:
  explicit Validator(const ServiceModel& model) : model_(model) {}

  void check(const Shape& shape, const Value& value, const std::string& path, int depth) {
    if (depth > 64 || problems_.messages.size() >= kMaxReported) return;
    const auto type = shape.contains("type") ? shape.at("type").as_string() : json::string();
    const std::string at = "Value '" + render(value) + "' at '" + path + "' failed to satisfy constraint: ";
    if (type == "structure") {
      check_structure(shape, value, path, depth);
    } else if (type == "list") {
      if (const auto* a = value.if_array()) {
        check_length(shape, a->size(), at);
        const auto& member = model_.resolve(shape.at("member").as_object());
        for (size_t i = 0; i < a->size(); ++i)
          check(member, (*a)[i], path + "." + std::to_string(i + 1) + ".member", depth + 1);
      }
    } else if (type == "map") {
      if (const auto* o = value.if_object()) {
        check_length(shape, o->size(), at);
        const auto& map_value = model_.resolve(shape.at("value").as_object());
        for (const auto& [k, v] : *o) check(map_value, v, path + "." + std::string(k), depth + 1);
      }
    } else if (type == "string") {
      if (const auto* s = value.if_string()) check_string(shape, *s, at);
    } else if (type == "integer" || type == "long" || type == "float" || type == "double") {
      check_range(shape, value, at);
    } else if (type == "blob") {
      if (const auto* s = value.if_string()) check_length(shape, s->size(), at);
    }
  }

  void check_structure(const Shape& shape, const Value& value, const std::string& path, int depth) {
    const auto* obj = value.if_object();
    if (!obj) return;
    const auto* members = shape.if_contains("members");
    if (const auto* required = shape.if_contains("required")) {
      for (const auto& name : required->as_array()) {
        const auto& n = name.as_string();
        const auto* v = obj->if_contains(n);
        if (v && !v->is_null()) continue;
        const std::string member_path = join(path, n);
        if (problems_.first_missing.empty()) problems_.first_missing = member_name(members, n);
        add("Value null at '" + member_path + "' failed to satisfy constraint: Member must not be null",
            "INPUT_REQUIRED");
      }
    }
    if (!members) return;
    for (const auto& [name, ref] : members->as_object()) {
      const auto* v = obj->if_contains(name);
      if (!v || v->is_null()) continue;
      check(model_.resolve(ref.as_object()), *v, join(path, name), depth + 1);
    }
  }

  const Problems& problems() const { return problems_; }

 private:
  static std::string join(const std::string& path, std::string_view name) {
    return path.empty() ? lower_first(name) : path + "." + lower_first(name);
  }

  // The wire name a client would have used (ec2 names parameters by it).
  static std::string member_name(const Value* members, std::string_view name) {
    if (members) {
      if (const auto* ref = members->as_object().if_contains(name)) {
        const auto& r = ref->as_object();
        if (const auto* q = r.if_contains("queryName")) return std::string(q->as_string());
        if (const auto* l = r.if_contains("locationName")) return std::string(l->as_string());
      }
    }
    return std::string(name);
  }

  void add(std::string message, std::string_view reason) {
    if (problems_.first_reason.empty()) problems_.first_reason = std::string(reason);
    if (problems_.messages.size() < kMaxReported) problems_.messages.push_back(std::move(message));
  }

  void check_length(const Shape& shape, size_t length, const std::string& at) {
    if (const auto* min = shape.if_contains("min"); min && static_cast<double>(length) < min->to_number<double>())
      add(at + "Member must have length greater than or equal to " + render(*min), "MIN_LENGTH_EXCEEDED");
    if (const auto* max = shape.if_contains("max"); max && static_cast<double>(length) > max->to_number<double>())
      add(at + "Member must have length less than or equal to " + render(*max), "MAX_LENGTH_EXCEEDED");
  }

  void check_string(const Shape& shape, const json::string& s, const std::string& at) {
    if (const auto* e = shape.if_contains("enum")) {
      bool found = false;
      std::string set;
      for (const auto& option : e->as_array()) {
        found = found || option.as_string() == s;
        set += (set.empty() ? "" : ", ") + std::string(option.as_string());
      }
      if (!found) add(at + "Member must satisfy enum value set: [" + set + "]", "INVALID_ENUM");
    }
    check_length(shape, s.size(), at);
    // std::regex matches bytes, so only ASCII values can be judged.
    if (const auto* p = shape.if_contains("pattern"); p && s.size() <= kMaxPatternInput && ascii(s)) {
      const std::string pattern(p->as_string());
      if (const auto* re = compiled_pattern(pattern); re && !std::regex_match(s.begin(), s.end(), *re))
        add(at + "Member must satisfy regular expression pattern: " + pattern, "INVALID_PATTERN");
    }
  }

  void check_range(const Shape& shape, const Value& v, const std::string& at) {
    const auto n = number_of(v);
    if (!n) return;
    if (const auto* min = shape.if_contains("min"); min && *n < min->to_number<double>())
      add(at + "Member must have value greater than or equal to " + render(*min), "MIN_VALUE_EXCEEDED");
    if (const auto* max = shape.if_contains("max"); max && *n > max->to_number<double>())
      add(at + "Member must have value less than or equal to " + render(*max), "MAX_VALUE_EXCEEDED");
  }

  const ServiceModel& model_;
  Problems problems_;
};

// Services whose model has no ValidationException but an
// InvalidInputException with a Reason (Organizations) answer a bad input
// with that, in their own words, rather than with Coral's message.
std::optional<AwsError> reasoned_invalid_input(const ServiceModel& model, const std::string& reason) {
  static const std::pair<std::string_view, std::string_view> kMessages[] = {
      {"INPUT_REQUIRED", "You must specify a value for all required parameters."},
      {"INVALID_PATTERN", "You provided a value that does not match the required pattern."},
      {"MIN_LENGTH_EXCEEDED", "You provided a string parameter that is shorter than allowed."},
      {"MAX_LENGTH_EXCEEDED", "You provided a string parameter that is longer than allowed."},
      {"MIN_VALUE_EXCEEDED", "You provided a numeric parameter that has a smaller value than allowed."},
      {"MAX_VALUE_EXCEEDED", "You provided a numeric parameter that has a larger value than allowed."},
      {"INVALID_ENUM", "You specified an invalid value."},
  };
  const auto& shapes = model.shapes();
  if (reason.empty() || shapes.contains("ValidationException")) return std::nullopt;
  const auto* exception = shapes.if_contains("InvalidInputException");
  if (!exception) return std::nullopt;
  const auto* members = exception->as_object().if_contains("members");
  const auto* reason_ref = members ? members->as_object().if_contains("Reason") : nullptr;
  if (!reason_ref) return std::nullopt;
  const auto* reason_shape = shapes.if_contains(reason_ref->as_object().at("shape").as_string());
  const auto* values = reason_shape ? reason_shape->as_object().if_contains("enum") : nullptr;
  if (!values) return std::nullopt;
  bool known = false;
  for (const auto& v : values->as_array()) known = known || v.as_string() == reason;
  if (!known) return std::nullopt;
  for (const auto& [name, message] : kMessages)
    if (name == reason)
      return AwsError("InvalidInputException", std::string(message)).with_field("Reason", Value(reason));
  return std::nullopt;
}

}  // namespace

void validate_input(const ServiceModel& model, const Operation& op, const Value& input,
                    std::string_view family) {
  if (!op.input) return;
  Validator validator(model);
  validator.check(*op.input, input.is_null() ? Value(Object{}) : input, "", 0);
  const auto& problems = validator.problems();
  if (problems.messages.empty()) return;
  if (family == "ec2") {
    // EC2 does not use the Coral validation wording.
    if (!problems.first_missing.empty())
      throw AwsError("MissingParameter",
                     "The request must contain the parameter " + problems.first_missing);
    throw AwsError("InvalidParameterValue", problems.messages.front());
  }
  if (auto reasoned = reasoned_invalid_input(model, problems.first_reason)) throw *reasoned;
  std::string message = std::to_string(problems.messages.size()) + " validation error" +
                        (problems.messages.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < problems.messages.size(); ++i)
    message += (i ? "; " : "") + problems.messages[i];
  const Protocol* protocol = protocol_for(family);
  throw AwsError(protocol ? protocol->validation_error_code() : "ValidationException", message);
}

}  // namespace terrarium::protocol
