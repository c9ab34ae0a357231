#pragma once
// The text patterns of a policy, compiled once: Action entries (wildcards,
// case-insensitive), Resource entries and Arn* condition values (wildcards
// per ARN segment, case-sensitive), String* condition values (wildcards only
// for StringLike). Policy variables (${aws:username}, ${aws:PrincipalTag/x},
// ${key, 'default'}, and the escapes ${*} ${?} ${$}) are resolved against the
// request while matching, without building the substituted string.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/request_context.hpp"

namespace terrarium::auth {

struct PatternOptions {
  bool wildcards = true;     // '*' and '?' are wildcards (else literal characters)
  bool ignore_case = false;  // ASCII case-insensitive (actions, StringEqualsIgnoreCase)
  bool variables = false;    // ${...} are policy variables (Version 2012-10-17 only)
};

class Pattern {
 public:
  Pattern() = default;
  static Pattern compile(std::string_view text, PatternOptions options);

  // Whether `subject` matches. A variable whose key the request lacks (and
  // that has no default) matches nothing, as AWS documents for variables
  // without a value; `ctx` may be null when the pattern has no variables.
  bool matches(std::string_view subject, const RequestContext* ctx) const;

  const std::string& source() const { return source_; }
  bool is_any() const { return kind_ == Kind::kAny; }
  bool has_variables() const { return !variables_.empty(); }
  // Whether its variables, if any, name only keys that describe the
  // principal (${aws:username}, ${aws:PrincipalTag/team}).
  bool reads_only_principal() const;
  // Appends the names of the variables' keys that `ctx` lacks and that have no default.
  void missing_keys(const RequestContext& ctx, std::vector<std::string>& out) const;

 private:
  // kGlob and kVariables match over flat text in which two control bytes mark
  // the wildcards; kGeneral walks the tokens, for the odd pattern whose
  // literal text holds those bytes itself.
  enum class Kind : uint8_t { kAny, kLiteral, kPrefix, kGlob, kVariables, kGeneral };
  enum class TokenKind : uint8_t { kLiteral, kStar, kQuestion, kVariable };
  struct Token {
    TokenKind kind;
    uint32_t begin = 0;  // kLiteral: offset in text_; kVariable: index in variables_
    uint32_t size = 0;
  };
  struct Variable {
    ContextKeyRef key;
    bool has_default = false;
    std::string default_value;
  };

  bool match_general(std::string_view subject, const RequestContext* ctx) const;
  bool match_variables(std::string_view subject, const RequestContext* ctx) const;

  std::string source_;
  std::string text_;  // literal characters (lowercased under ignore_case)
  std::string flat_;  // kGlob: the pattern with wildcard marks
  std::vector<Token> tokens_;
  std::vector<Variable> variables_;
  Kind kind_ = Kind::kLiteral;
  bool ignore_case_ = false;
};

// A Resource / NotResource entry, or an ArnEquals/ArnLike value: "*", or an
// ARN matched segment by segment (partition, service, region, account, and
// the resource part, which keeps its colons). A non-ARN entry matches as a
// whole string.
class ArnPattern {
 public:
  ArnPattern() = default;
  static ArnPattern compile(std::string_view text, bool variables);

  bool matches(std::string_view subject, const RequestContext* ctx) const;
  const std::string& source() const { return source_; }
  bool is_any() const { return any_; }
  bool reads_only_principal() const;
  void missing_keys(const RequestContext& ctx, std::vector<std::string>& out) const;

 private:
  std::string source_;
  bool any_ = false;
  std::vector<Pattern> segments_;  // one pattern for a whole-string match
  bool segmented_ = false;
};

// Splits an ARN into at most `max_parts` colon-separated parts (the last part
// keeps the rest). Returns the number of parts written.
size_t split_arn(std::string_view arn, std::string_view* parts, size_t max_parts);

}  // namespace terrarium::auth
