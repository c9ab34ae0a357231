#include "auth/policy.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace terrarium::auth {

namespace json = boost::json;

namespace {

constexpr std::string_view kSyntaxErrors = "Syntax errors in policy.";
constexpr std::string_view kLegacyParsing = "The policy failed legacy parsing";

[[noreturn]] void fail(PolicyProblem problem, std::string_view message) {
  throw PolicyDocumentError(problem, std::string(message));
}
[[noreturn]] void syntax_error() { fail(PolicyProblem::kSyntax, kSyntaxErrors); }

bool is_account_number(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A string or a non-empty array of strings.
std::vector<std::string> string_list(const json::value& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) syntax_error();
      out.emplace_back(item.get_string());
    }
  } else {
    syntax_error();
  }
  return out;
}

// Condition values: strings, booleans and numbers, alone or in an array.
std::string scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    char buffer[64];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.get_double());
    if (ec != std::errc()) syntax_error();
    return std::string(buffer, ptr);
  }
  syntax_error();
}

std::vector<std::string> condition_values(const json::value& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& item : v.get_array()) out.push_back(scalar_text(item));
  } else {
    out.push_back(scalar_text(v));
  }
  return out;
}

// ----- statement positions ------------------------------------------------
// Boost.JSON keeps no source positions, so a small scan over the (already
// validated) text finds where each statement begins and ends.

size_t skip_ws(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

size_t skip_string(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return s.size();
}

size_t skip_value(std::string_view s, size_t i) {
  if (i >= s.size()) return i;
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = skip_string(s, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return i;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' &&
         s[i] != '\r' && s[i] != '\t')
    ++i;
  return i;
}

std::vector<std::pair<size_t, size_t>> statement_spans(std::string_view s) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t i = skip_ws(s, 0);
  if (i >= s.size() || s[i] != '{') return spans;
  ++i;
  while (true) {
    i = skip_ws(s, i);
    if (i >= s.size() || s[i] != '"') break;
    const size_t key_begin = i;
    i = skip_string(s, i);
    const std::string_view key = s.substr(key_begin + 1, i - key_begin - 2);
    i = skip_ws(s, i);
    if (i >= s.size() || s[i] != ':') break;
    i = skip_ws(s, i + 1);
    const size_t value_begin = i;
    const size_t value_end = skip_value(s, i);
    if (key == "Statement") {
      spans.clear();
      if (s[value_begin] == '{') {
        spans.emplace_back(value_begin, value_end);
      } else if (s[value_begin] == '[') {
        size_t j = value_begin + 1;
        while (true) {
          j = skip_ws(s, j);
          if (j >= value_end || s[j] == ']') break;
          const size_t end = skip_value(s, j);
          spans.emplace_back(j, end);
          j = skip_ws(s, end);
          if (j < value_end && s[j] == ',') ++j;
        }
      }
    }
    i = skip_ws(s, value_end);
    if (i < s.size() && s[i] == ',') ++i;
  }
  return spans;
}

SourcePosition position_of(std::string_view s, size_t offset) {
  SourcePosition pos{1, 1};
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

// ----- element checks -----------------------------------------------------

constexpr std::string_view kPartitions[] = {"aws",     "aws-cn",    "aws-us-gov", "aws-iso",
                                            "aws-iso-b", "aws-iso-e", "aws-iso-f",  "aws-eusc"};

void check_action(std::string_view action, PolicyKind kind) {
  if (action == "*") return;
  const auto colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0)
    fail(PolicyProblem::kActionVendor,
         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  if (action.find(':', colon + 1) != std::string_view::npos)
    fail(PolicyProblem::kActionColons, "Actions/Condition can contain only one colon.");
  if (kind == PolicyKind::kTrust) {
    static constexpr std::string_view kAllowed[] = {
        "sts:AssumeRole",        "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
        "sts:TagSession",        "sts:SetSourceIdentity",  "sts:SetContext",
    };
    // A wildcard entry is fine when it covers some action of the family.
    const Pattern wanted = Pattern::compile(action, {.wildcards = true, .ignore_case = true});
    bool ok = false;
    for (std::string_view allowed : kAllowed) ok = ok || wanted.matches(allowed, nullptr);
    if (!ok)
      fail(PolicyProblem::kTrustAction, "AssumeRole policy may only specify STS AssumeRole actions.");
  }
}

void check_resource(std::string_view resource) {
  if (resource == "*") return;
  std::string_view parts[6];
  const size_t count = split_arn(resource, parts, 6);
  if (count < 6 || parts[0] != "arn")
    fail(PolicyProblem::kInvalidResource,
         "Resource " + std::string(resource) + " must be in ARN format or \"*\".");
  const std::string_view partition = parts[1];
  const bool known = partition.find_first_of("*?$") != std::string_view::npos ||
                     std::find(std::begin(kPartitions), std::end(kPartitions), partition) !=
                         std::end(kPartitions);
  if (!known)
    fail(PolicyProblem::kInvalidPartition, "Partition \"" + std::string(partition) +
                                               "\" is not valid for resource \"" +
                                               std::string(resource) + "\".");
}

bool valid_aws_principal(std::string_view v) {
  if (v == "*" || is_account_number(v)) return true;
  if (v.substr(0, 4) == "arn:") {
    std::string_view parts[6];
    return split_arn(v, parts, 6) == 6 && (parts[2] == "iam" || parts[2] == "sts") &&
           (is_account_number(parts[4]) || parts[4] == "*");
  }
  // Unique ids IAM writes in place of a deleted principal.
  return v.size() >= 16 && v[0] == 'A' &&
         std::all_of(v.begin(), v.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

PrincipalSpec compile_principal(const json::value& v, bool negated) {
  PrincipalSpec spec;
  spec.present = true;
  spec.negated = negated;
  if (v.is_string()) {
    if (v.get_string() != "*") syntax_error();
    spec.wildcard = true;
    return spec;
  }
  if (!v.is_object() || v.get_object().empty()) syntax_error();
  for (const auto& [type, ids] : v.get_object()) {
    const std::vector<std::string> values = string_list(ids);
    if (values.empty()) syntax_error();
    if (type == "AWS") {
      for (const std::string& id : values) {
        if (!valid_aws_principal(id))
          fail(PolicyProblem::kInvalidPrincipal, "Invalid principal in policy: \"AWS\":\"" + id + "\"");
        if (id == "*") {
          spec.wildcard = true;
        } else if (is_account_number(id)) {
          spec.accounts.push_back(id);
        } else if (id.substr(0, 4) == "arn:") {
          std::string_view parts[6];
          split_arn(id, parts, 6);
          if (parts[2] == "iam" && parts[5] == "root") {
            spec.accounts.emplace_back(parts[4]);
          } else {
            spec.arns.push_back(id);
          }
        } else {
          spec.unique_ids.push_back(id);
        }
      }
    } else if (type == "Service") {
      for (const std::string& id : values) {
        if (id == "*") spec.wildcard = true;
        spec.services.push_back(id);
      }
    } else if (type == "Federated") {
      spec.federated.insert(spec.federated.end(), values.begin(), values.end());
    } else if (type == "CanonicalUser") {
      spec.canonical_users.insert(spec.canonical_users.end(), values.begin(), values.end());
    } else {
      syntax_error();
    }
  }
  return spec;
}

bool sid_is_alphanumeric(std::string_view sid) {
  return std::all_of(sid.begin(), sid.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

Statement compile_statement(const json::value& v, PolicyKind kind, bool variables) {
  if (!v.is_object()) syntax_error();
  const json::object& obj = v.get_object();
  static constexpr std::string_view kElements[] = {"Sid",      "Effect",   "Principal",
                                                   "NotPrincipal", "Action", "NotAction",
                                                   "Resource", "NotResource", "Condition"};
  for (const auto& member : obj) {
    if (std::find(std::begin(kElements), std::end(kElements), std::string_view(member.key())) ==
        std::end(kElements))
      syntax_error();
  }
  const json::value* sid = obj.if_contains("Sid");
  const json::value* effect = obj.if_contains("Effect");
  const json::value* principal = obj.if_contains("Principal");
  const json::value* not_principal = obj.if_contains("NotPrincipal");
  const json::value* action = obj.if_contains("Action");
  const json::value* not_action = obj.if_contains("NotAction");
  const json::value* resource = obj.if_contains("Resource");
  const json::value* not_resource = obj.if_contains("NotResource");
  const json::value* condition = obj.if_contains("Condition");

  // Shape first: every element of the right JSON type, no contradictory pairs.
  if ((sid && !sid->is_string()) || !effect || !effect->is_string()) syntax_error();
  if ((action && not_action) || (resource && not_resource) || (principal && not_principal))
    syntax_error();
  if (condition && !condition->is_object()) syntax_error();

  Statement st;
  if (sid) st.sid = std::string(sid->get_string());
  if (effect->get_string() == "Allow") {
    st.effect = Effect::kAllow;
  } else if (effect->get_string() == "Deny") {
    st.effect = Effect::kDeny;
  } else {
    fail(PolicyProblem::kLegacyParsing, kLegacyParsing);
  }
  if (kind == PolicyKind::kIdentity || kind == PolicyKind::kTrust) {
    if (!sid_is_alphanumeric(st.sid))
      fail(PolicyProblem::kInvalidSid,
           "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
           "regular expression [0-9A-Za-z]*");
  }

  const bool principal_allowed = kind == PolicyKind::kResource || kind == PolicyKind::kTrust ||
                                 kind == PolicyKind::kResourceControl;
  if (principal || not_principal) {
    if (!principal_allowed)
      fail(PolicyProblem::kPrincipalNotAllowed, "Policy document should not specify a principal.");
    st.principal = compile_principal(principal ? *principal : *not_principal, not_principal != nullptr);
  } else if (kind == PolicyKind::kResource || kind == PolicyKind::kTrust) {
    fail(PolicyProblem::kMissingPrincipal, "Missing required field Principal");
  }

  if (!action && !not_action)
    fail(PolicyProblem::kMissingAction, "Policy statement must contain actions.");
  const std::vector<std::string> actions = string_list(action ? *action : *not_action);
  if (actions.empty()) fail(PolicyProblem::kMissingAction, "Policy statement must contain actions.");
  st.not_action = not_action != nullptr;
  for (const std::string& a : actions) {
    check_action(a, st.not_action ? PolicyKind::kIdentity : kind);
    st.actions.push_back(Pattern::compile(a, {.wildcards = true, .ignore_case = true}));
  }

  if (kind == PolicyKind::kTrust) {
    if (resource || not_resource)
      fail(PolicyProblem::kProhibitedResource,
           resource ? "Has prohibited field Resource" : "Has prohibited field NotResource");
  } else {
    if (!resource && !not_resource)
      fail(PolicyProblem::kMissingResource, "Policy statement must contain resources.");
    const std::vector<std::string> resources = string_list(resource ? *resource : *not_resource);
    if (resources.empty())
      fail(PolicyProblem::kMissingResource, "Policy statement must contain resources.");
    st.has_resource = true;
    st.not_resource = not_resource != nullptr;
    for (const std::string& r : resources) {
      // Resource-based policies of some services name non-ARN resources
      // (execute-api:/stage/GET/path); those services check their own.
      if (kind != PolicyKind::kResource) check_resource(r);
      st.resources.push_back(ArnPattern::compile(r, variables));
    }
  }

  if (condition) {
    for (const auto& [op_name, block] : condition->get_object()) {
      const auto op = parse_condition_operator(op_name);
      if (!op || !block.is_object() || block.get_object().empty()) syntax_error();
      for (const auto& [key, values] : block.get_object()) {
        if (key.find(':') == json::string_view::npos)
          fail(PolicyProblem::kActionVendor,
               "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
        st.conditions.push_back(
            Condition::compile(op_name, *op, key, condition_values(values), variables));
      }
    }
  }
  return st;
}

}  // namespace

PrincipalGrant PrincipalSpec::match(const PrincipalFacts& p) const {
  if (!present) return PrincipalGrant::kNone;
  if (negated) {
    // The statement spares the caller only when every identity it acts as is listed.
    if (wildcard) return PrincipalGrant::kNone;
    bool spared = false;
    switch (p.kind) {
      case PrincipalKind::kAnonymous: spared = false; break;
      case PrincipalKind::kService: spared = contains(services, p.service); break;
      case PrincipalKind::kWebIdentity: spared = contains(federated, p.federated_provider); break;
      case PrincipalKind::kRoot: spared = contains(accounts, p.account); break;
      case PrincipalKind::kUser:
      case PrincipalKind::kFederatedUser:
        spared = contains(arns, p.arn) && contains(accounts, p.account);
        break;
      case PrincipalKind::kAssumedRole:
        spared = contains(arns, p.arn) && contains(arns, p.role_arn) && contains(accounts, p.account);
        break;
    }
    return spared ? PrincipalGrant::kNone : PrincipalGrant::kDirect;
  }
  if (wildcard) return PrincipalGrant::kDirect;
  switch (p.kind) {
    case PrincipalKind::kAnonymous: return PrincipalGrant::kNone;
    case PrincipalKind::kService:
      return contains(services, p.service) ? PrincipalGrant::kDirect : PrincipalGrant::kNone;
    case PrincipalKind::kWebIdentity:
      return contains(federated, p.federated_provider) ? PrincipalGrant::kDirect : PrincipalGrant::kNone;
    default: break;
  }
  if (!p.arn.empty() && contains(arns, p.arn)) return PrincipalGrant::kDirect;
  if (!p.canonical_user_id.empty() && contains(canonical_users, p.canonical_user_id))
    return PrincipalGrant::kDirect;
  if (!unique_ids.empty() && !p.user_id.empty()) {
    if (contains(unique_ids, p.user_id)) return PrincipalGrant::kDirect;
    const auto colon = p.user_id.find(':');
    if (colon != std::string::npos && contains(unique_ids, std::string_view(p.user_id).substr(0, colon)))
      return PrincipalGrant::kRole;
  }
  if (p.kind == PrincipalKind::kAssumedRole && !p.role_arn.empty() && contains(arns, p.role_arn))
    return PrincipalGrant::kRole;
  if (!p.account.empty() && contains(accounts, p.account))
    return p.kind == PrincipalKind::kRoot ? PrincipalGrant::kDirect : PrincipalGrant::kAccount;
  return PrincipalGrant::kNone;
}

bool Statement::matches_action(std::string_view action) const {
  bool any = false;
  for (const Pattern& p : actions) {
    if (p.matches(action, nullptr)) {
      any = true;
      break;
    }
  }
  return any != not_action;
}

bool Statement::matches_resource(std::string_view resource, const RequestContext& ctx) const {
  if (!has_resource) return true;
  if (resource.empty()) resource = "*";
  bool any = false;
  for (const ArnPattern& p : resources) {
    if (p.matches(resource, &ctx)) {
      any = true;
      break;
    }
  }
  return any != not_resource;
}

bool Statement::conditions_hold(const RequestContext& ctx) const {
  for (const Condition& c : conditions)
    if (!c.evaluate(ctx)) return false;
  return true;
}

bool Statement::reads_only_principal() const {
  // Actions and principals hold no variables.
  return conditions.empty() && std::all_of(resources.begin(), resources.end(),
                                           [](const ArnPattern& r) { return r.reads_only_principal(); });
}

Policy Policy::compile(std::string_view text, PolicyKind kind, std::string id) {
  json::value doc;
  {
    boost::system::error_code ec;
    doc = json::parse(json::string_view(text.data(), text.size()), ec);
    if (ec) syntax_error();
  }
  if (!doc.is_object()) syntax_error();
  const json::object& obj = doc.get_object();
  for (const auto& member : obj) {
    const std::string_view key = member.key();
    if (key != "Version" && key != "Id" && key != "Statement") syntax_error();
  }
  Policy policy;
  policy.kind_ = kind;
  policy.id_ = std::move(id);
  if (const json::value* version = obj.if_contains("Version")) {
    if (!version->is_string()) syntax_error();
    policy.version_ = std::string(version->get_string());
    if (policy.version_ != "2012-10-17" && policy.version_ != "2008-10-17")
      fail(PolicyProblem::kLegacyParsing, kLegacyParsing);
  }
  if (const json::value* pid = obj.if_contains("Id"); pid && !pid->is_string()) syntax_error();
  const json::value* statements = obj.if_contains("Statement");
  if (!statements) syntax_error();
  const bool variables = policy.variables_enabled();
  if (statements->is_object()) {
    policy.statements_.push_back(compile_statement(*statements, kind, variables));
  } else if (statements->is_array() && !statements->get_array().empty()) {
    for (const auto& st : statements->get_array())
      policy.statements_.push_back(compile_statement(st, kind, variables));
  } else {
    syntax_error();
  }
  if (kind == PolicyKind::kIdentity || kind == PolicyKind::kTrust) {
    for (size_t i = 0; i < policy.statements_.size(); ++i) {
      const std::string& sid = policy.statements_[i].sid;
      if (sid.empty()) continue;
      for (size_t j = i + 1; j < policy.statements_.size(); ++j)
        if (policy.statements_[j].sid == sid)
          fail(PolicyProblem::kDuplicateSid, "Statement IDs (SID) in a single policy must be unique.");
    }
  }
  const auto spans = statement_spans(text);
  if (spans.size() == policy.statements_.size()) {
    for (size_t i = 0; i < spans.size(); ++i) {
      policy.statements_[i].start = position_of(text, spans[i].first);
      policy.statements_[i].end = position_of(text, spans[i].second - 1);
    }
  }
  policy.reads_only_principal_ = std::all_of(policy.statements_.begin(), policy.statements_.end(),
                                             [](const Statement& st) { return st.reads_only_principal(); });
  return policy;
}

std::shared_ptr<const Policy> Policy::allow_nothing(PolicyKind kind, std::string id) {
  Policy policy;
  policy.kind_ = kind;
  policy.id_ = std::move(id);
  policy.version_ = "2012-10-17";
  return std::make_shared<const Policy>(std::move(policy));
}

std::shared_ptr<const Policy> Policy::compile_shared(std::string_view json, PolicyKind kind,
                                                     std::string id) {
  return std::make_shared<const Policy>(compile(json, kind, std::move(id)));
}

std::shared_ptr<const Policy> Policy::compile_stored(std::string_view json, PolicyKind kind,
                                                     std::string id) {
  try {
    return compile_shared(json, kind, id);
  } catch (const PolicyDocumentError&) {
    return allow_nothing(kind, std::move(id));
  }
}

std::optional<PolicyDocumentIssue> check_policy_document(std::string_view json, PolicyKind kind) {
  try {
    Policy::compile(json, kind);
  } catch (const PolicyDocumentError& e) {
    return PolicyDocumentIssue{e.problem(), e.what()};
  }
  return std::nullopt;
}

std::optional<std::string> policy_document_error(std::string_view json, PolicyKind kind) {
  auto issue = check_policy_document(json, kind);
  if (!issue) return std::nullopt;
  return std::move(issue->message);
}

}  // namespace terrarium::auth
