#pragma once
// The Condition element: every operator AWS documents, compiled once.
//
//   String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,NotLike}
//   Numeric{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals}
//   Date{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals}
//   Bool, BinaryEquals, IpAddress, NotIpAddress (IPv4 and IPv6 CIDR),
//   Arn{Equals,Like,NotEquals,NotLike}, Null,
//   each (but Null) with ...IfExists, and the ForAllValues: / ForAnyValue:
//   set qualifiers.
//
// Semantics, as AWS documents them:
// - Several values for one key are OR'ed; for a negated operator
//   (StringNotEquals, NotIpAddress, ArnNotLike, ...) the values are NOR'ed.
// - A key absent from the request (or present with no values): the
//   condition is false, but true for negated operators and for ...IfExists.
// - Null: "true" holds when the key is absent, "false" when it is present.
// - ForAllValues: every request value must match some policy value (for a
//   negated operator: match none); true when the key is absent.
//   ForAnyValue: some request value must match (negated: some must match
//   none of the policy values); false when the key is absent, IfExists or not.
// - A multi-valued key under a plain operator: true when any request value
//   matches any policy value (negated: when none does).
// - A policy variable without a value (and without a default) matches
//   nothing, so a negated operator over it holds.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy_pattern.hpp"
#include "auth/request_context.hpp"

namespace terrarium::auth {

enum class ConditionFamily : uint8_t {
  kStringEquals,
  kStringEqualsIgnoreCase,
  kStringLike,
  kNumericEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kArnLike,  // ArnEquals and ArnLike behave alike: both take wildcards per segment
  kNull,
};

enum class SetQualifier : uint8_t { kNone, kForAllValues, kForAnyValue };

struct ConditionOperator {
  ConditionFamily family = ConditionFamily::kStringEquals;
  bool negated = false;    // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool if_exists = false;  // ...IfExists
  SetQualifier qualifier = SetQualifier::kNone;
};

// "ForAnyValue:StringNotLikeIfExists" -> its parts; nullopt for an unknown
// operator (the policy is then malformed). Operator names compare exactly.
std::optional<ConditionOperator> parse_condition_operator(std::string_view name);

struct IpRange {
  bool v6 = false;
  std::array<uint8_t, 16> address{};
  int prefix = 0;  // bits that must match
};
std::optional<IpRange> parse_ip_range(std::string_view text);  // "10.0.0.0/8", "2001:db8::/32", "1.2.3.4"
// Epoch seconds of an ISO 8601 date ("2024-01-01", "2024-01-01T00:00:00Z",
// with fraction or offset) or of an epoch number; never allocates.
std::optional<double> parse_policy_date(std::string_view text);

class Condition {
 public:
  // One operator applied to one key with its policy values (JSON booleans and
  // numbers already turned into their text). Values that cannot be read for
  // the operator (a bad number, date, CIDR or base64) never match; AWS accepts
  // such policies too.
  static Condition compile(std::string_view op_name, const ConditionOperator& op,
                           std::string_view key, const std::vector<std::string>& values,
                           bool variables);

  bool evaluate(const RequestContext& ctx) const;

  const std::string& operator_name() const { return op_name_; }
  const ContextKeyRef& key() const { return key_; }
  const std::vector<std::string>& values() const { return raw_values_; }
  // The keys this condition reads that `ctx` lacks (for SimulatePolicy's MissingContextValues).
  void missing_keys(const RequestContext& ctx, std::vector<std::string>& out) const;

 private:
  bool match_value(std::string_view request_value, const RequestContext& ctx) const;

  std::string op_name_;
  ConditionOperator op_;
  ContextKeyRef key_;
  std::vector<std::string> raw_values_;
  // Only the member for op_.family is filled; an empty optional marks a value
  // that cannot match.
  std::vector<Pattern> patterns_;             // String*
  std::vector<ArnPattern> arns_;              // Arn*
  std::vector<std::optional<double>> numbers_;  // Numeric*, Date* (epoch seconds)
  std::vector<std::optional<bool>> flags_;    // Bool, Null
  std::vector<std::optional<IpRange>> ranges_;  // IpAddress
  std::vector<std::optional<std::string>> bytes_;  // BinaryEquals (decoded)
};

}  // namespace terrarium::auth
