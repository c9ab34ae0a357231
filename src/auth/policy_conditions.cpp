#include "auth/policy_conditions.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/base64.hpp"

namespace terrarium::auth {

namespace {

struct FamilyName {
  std::string_view name;
  ConditionFamily family;
  bool negated;
};

constexpr FamilyName kFamilies[] = {
    {"StringEquals", ConditionFamily::kStringEquals, false},
    {"StringNotEquals", ConditionFamily::kStringEquals, true},
    {"StringEqualsIgnoreCase", ConditionFamily::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", ConditionFamily::kStringEqualsIgnoreCase, true},
    {"StringLike", ConditionFamily::kStringLike, false},
    {"StringNotLike", ConditionFamily::kStringLike, true},
    {"NumericEquals", ConditionFamily::kNumericEquals, false},
    {"NumericNotEquals", ConditionFamily::kNumericEquals, true},
    {"NumericLessThan", ConditionFamily::kNumericLessThan, false},
    {"NumericLessThanEquals", ConditionFamily::kNumericLessThanEquals, false},
    {"NumericGreaterThan", ConditionFamily::kNumericGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionFamily::kNumericGreaterThanEquals, false},
    {"DateEquals", ConditionFamily::kDateEquals, false},
    {"DateNotEquals", ConditionFamily::kDateEquals, true},
    {"DateLessThan", ConditionFamily::kDateLessThan, false},
    {"DateLessThanEquals", ConditionFamily::kDateLessThanEquals, false},
    {"DateGreaterThan", ConditionFamily::kDateGreaterThan, false},
    {"DateGreaterThanEquals", ConditionFamily::kDateGreaterThanEquals, false},
    {"Bool", ConditionFamily::kBool, false},
    {"BinaryEquals", ConditionFamily::kBinaryEquals, false},
    {"IpAddress", ConditionFamily::kIpAddress, false},
    {"NotIpAddress", ConditionFamily::kIpAddress, true},
    {"ArnEquals", ConditionFamily::kArnLike, false},
    {"ArnLike", ConditionFamily::kArnLike, false},
    {"ArnNotEquals", ConditionFamily::kArnLike, true},
    {"ArnNotLike", ConditionFamily::kArnLike, true},
    {"Null", ConditionFamily::kNull, false},
};

bool is_date_family(ConditionFamily f) {
  return f >= ConditionFamily::kDateEquals && f <= ConditionFamily::kDateGreaterThanEquals;
}

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  return std::nullopt;
}

// Compares request value `a` with policy value `b` for an ordered family.
bool compare(ConditionFamily f, double a, double b) {
  switch (f) {
    case ConditionFamily::kNumericEquals:
    case ConditionFamily::kDateEquals: return a == b;
    case ConditionFamily::kNumericLessThan:
    case ConditionFamily::kDateLessThan: return a < b;
    case ConditionFamily::kNumericLessThanEquals:
    case ConditionFamily::kDateLessThanEquals: return a <= b;
    case ConditionFamily::kNumericGreaterThan:
    case ConditionFamily::kDateGreaterThan: return a > b;
    case ConditionFamily::kNumericGreaterThanEquals:
    case ConditionFamily::kDateGreaterThanEquals: return a >= b;
    default: return false;
  }
}

bool digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool in_range(const IpRange& range, const IpRange& address) {
  if (range.v6 != address.v6) return false;
  int bits = range.prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((range.address[i] & mask) != (address.address[i] & mask)) return false;
  }
  return true;
}

}  // namespace

std::optional<ConditionOperator> parse_condition_operator(std::string_view name) {
  ConditionOperator op;
  static constexpr std::string_view kForAll = "ForAllValues:";
  static constexpr std::string_view kForAny = "ForAnyValue:";
  static constexpr std::string_view kIfExists = "IfExists";
  if (name.substr(0, kForAll.size()) == kForAll) {
    op.qualifier = SetQualifier::kForAllValues;
    name.remove_prefix(kForAll.size());
  } else if (name.substr(0, kForAny.size()) == kForAny) {
    op.qualifier = SetQualifier::kForAnyValue;
    name.remove_prefix(kForAny.size());
  }
  if (name.size() > kIfExists.size() && name.substr(name.size() - kIfExists.size()) == kIfExists) {
    op.if_exists = true;
    name.remove_suffix(kIfExists.size());
  }
  for (const auto& f : kFamilies) {
    if (f.name == name) {
      // Null asks whether the key exists; "NullIfExists" means nothing.
      if (f.family == ConditionFamily::kNull && op.if_exists) return std::nullopt;
      op.family = f.family;
      op.negated = f.negated;
      return op;
    }
  }
  return std::nullopt;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
  IpRange range;
  std::string_view address = text;
  int prefix = -1;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    const std::string_view bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return std::nullopt;
    const auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || ptr != bits.data() + bits.size()) return std::nullopt;
  }
  char buffer[64];
  if (address.empty() || address.size() >= sizeof buffer) return std::nullopt;
  std::memcpy(buffer, address.data(), address.size());
  buffer[address.size()] = '\0';
  if (address.find(':') != std::string_view::npos) {
    range.v6 = true;
    if (inet_pton(AF_INET6, buffer, range.address.data()) != 1) return std::nullopt;
    if (prefix > 128) return std::nullopt;
    range.prefix = prefix < 0 ? 128 : prefix;
  } else {
    if (inet_pton(AF_INET, buffer, range.address.data()) != 1) return std::nullopt;
    if (prefix > 32) return std::nullopt;
    range.prefix = prefix < 0 ? 32 : prefix;
  }
  return range;
}

std::optional<double> parse_policy_date(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // Epoch seconds: digits (and a fraction), no date separators.
  const bool dateish = s.find_first_of(":Tt") != std::string_view::npos ||
                       s.find('-', 1) != std::string_view::npos;
  if (!dateish) return parse_number(s);
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day))
    return std::nullopt;
  size_t pos = 10;
  double fraction = 0;
  double offset = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't')) {
    if (!digits(s, pos + 1, 2, hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, minute))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        size_t end = pos + 1;
        double scale = 0.1;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9') {
          fraction += (s[end] - '0') * scale;
          scale /= 10;
          ++end;
        }
        if (end == pos + 1) return std::nullopt;
        pos = end;
      }
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      const int sign = s[pos] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!digits(s, pos, 2, om)) return std::nullopt;
      pos += 2;
      offset = sign * (oh * 3600.0 + om * 60.0);
    }
  }
  if (pos != s.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second) + fraction - offset;
}

Condition Condition::compile(std::string_view op_name, const ConditionOperator& op,
                             std::string_view key, const std::vector<std::string>& values,
                             bool variables) {
  Condition c;
  c.op_name_ = std::string(op_name);
  c.op_ = op;
  c.key_ = compile_context_key(key);
  c.raw_values_ = values;
  const ConditionFamily f = op.family;
  for (const std::string& v : values) {
    switch (f) {
      case ConditionFamily::kStringEquals:
        c.patterns_.push_back(Pattern::compile(v, {.wildcards = false, .ignore_case = false, .variables = variables}));
        break;
      case ConditionFamily::kStringEqualsIgnoreCase:
        c.patterns_.push_back(Pattern::compile(v, {.wildcards = false, .ignore_case = true, .variables = variables}));
        break;
      case ConditionFamily::kStringLike:
        c.patterns_.push_back(Pattern::compile(v, {.wildcards = true, .ignore_case = false, .variables = variables}));
        break;
      case ConditionFamily::kArnLike: c.arns_.push_back(ArnPattern::compile(v, variables)); break;
      case ConditionFamily::kBool:
      case ConditionFamily::kNull: c.flags_.push_back(parse_bool(v)); break;
      case ConditionFamily::kBinaryEquals: c.bytes_.push_back(base64_decode(v)); break;
      case ConditionFamily::kIpAddress: c.ranges_.push_back(parse_ip_range(v)); break;
      default:
        c.numbers_.push_back(is_date_family(f) ? parse_policy_date(v) : parse_number(v));
        break;
    }
  }
  return c;
}

bool Condition::match_value(std::string_view request_value, const RequestContext& ctx) const {
  const ConditionFamily f = op_.family;
  switch (f) {
    case ConditionFamily::kStringEquals:
    case ConditionFamily::kStringEqualsIgnoreCase:
    case ConditionFamily::kStringLike:
      for (const Pattern& p : patterns_)
        if (p.matches(request_value, &ctx)) return true;
      return false;
    case ConditionFamily::kArnLike:
      for (const ArnPattern& p : arns_)
        if (p.matches(request_value, &ctx)) return true;
      return false;
    case ConditionFamily::kBool: {
      const auto value = parse_bool(request_value);
      if (!value) return false;
      for (const auto& flag : flags_)
        if (flag && *flag == *value) return true;
      return false;
    }
    case ConditionFamily::kBinaryEquals:
      for (const auto& b : bytes_)
        if (b && *b == request_value) return true;
      return false;
    case ConditionFamily::kIpAddress: {
      const auto address = parse_ip_range(request_value);
      if (!address) return false;
      for (const auto& range : ranges_)
        if (range && in_range(*range, *address)) return true;
      return false;
    }
    case ConditionFamily::kNull: return false;
    default: {
      const auto value = is_date_family(f) ? parse_policy_date(request_value) : parse_number(request_value);
      if (!value) return false;
      for (const auto& n : numbers_)
        if (n && compare(f, *value, *n)) return true;
      return false;
    }
  }
}

bool Condition::evaluate(const RequestContext& ctx) const {
  const ContextValues found = lookup_context_key(ctx, key_);
  const bool missing = found.empty();
  if (op_.family == ConditionFamily::kNull) {
    for (const auto& flag : flags_)
      if (flag && *flag == missing) return true;
    return false;
  }
  switch (op_.qualifier) {
    case SetQualifier::kNone: {
      if (missing) return op_.if_exists || op_.negated;
      bool any = false;
      for (size_t i = 0; i < found.size() && !any; ++i) any = match_value(found[i], ctx);
      return op_.negated ? !any : any;
    }
    case SetQualifier::kForAllValues:
      if (missing) return true;
      for (size_t i = 0; i < found.size(); ++i)
        if (match_value(found[i], ctx) == op_.negated) return false;
      return true;
    case SetQualifier::kForAnyValue:
      if (missing) return false;
      for (size_t i = 0; i < found.size(); ++i)
        if (match_value(found[i], ctx) != op_.negated) return true;
      return false;
  }
  return false;
}

void Condition::missing_keys(const RequestContext& ctx, std::vector<std::string>& out) const {
  if (lookup_context_key(ctx, key_).empty() &&
      std::find(out.begin(), out.end(), key_.name) == out.end())
    out.push_back(key_.name);
  for (const Pattern& p : patterns_) p.missing_keys(ctx, out);
  for (const ArnPattern& p : arns_) p.missing_keys(ctx, out);
}

}  // namespace terrarium::auth
