#include "services/iam/policy_document.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/aws_error.hpp"
#include "core/value.hpp"

namespace terrarium::services::iam {

namespace {

AwsError malformed(const std::string& message) { return AwsError("MalformedPolicyDocument", message); }

const char* kSyntax = "Syntax errors in policy.";

// A string, or a non-empty list of strings: how Action, Resource and their
// Not forms are written.
bool is_string_or_strings(const Value& v) {
  if (v.is_string()) return true;
  if (!v.is_array() || v.as_array().empty()) return false;
  for (const auto& s : v.as_array())
    if (!s.is_string()) return false;
  return true;
}

void check_actions(const Value& actions) {
  if (!is_string_or_strings(actions)) throw malformed(kSyntax);
  auto check = [](std::string_view action) {
    if (action == "*") return;
    const auto colon = action.find(':');
    if (colon == std::string_view::npos || colon == 0)
      throw malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    for (char c : action.substr(0, colon))
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
        throw malformed("Vendor " + std::string(action.substr(0, colon)) + " is not valid");
  };
  if (actions.is_string()) check(actions.get_string());
  else
    for (const auto& a : actions.as_array()) check(a.get_string());
}

void check_resources(const Value& resources) {
  if (!is_string_or_strings(resources)) throw malformed(kSyntax);
  auto check = [](std::string_view resource) {
    if (resource == "*" || resource.rfind("arn:", 0) == 0) {
      // An ARN has at least its six colon-separated fields.
      if (resource != "*" && std::count(resource.begin(), resource.end(), ':') < 5)
        throw malformed("Resource " + std::string(resource) + " must be in ARN format or \"*\".");
      return;
    }
    throw malformed("Resource " + std::string(resource) + " must be in ARN format or \"*\".");
  };
  if (resources.is_string()) check(resources.get_string());
  else
    for (const auto& r : resources.as_array()) check(r.get_string());
}

void check_principal(const Value& principal) {
  if (principal.is_string()) {
    if (principal.get_string() != "*") throw malformed("Invalid principal in policy: " + std::string(principal.get_string()));
    return;
  }
  if (!principal.is_object() || principal.as_object().empty()) throw malformed(kSyntax);
  static const std::set<std::string, std::less<>> kTypes = {"AWS", "Service", "Federated", "CanonicalUser"};
  for (const auto& [type, ids] : principal.as_object()) {
    if (!kTypes.count(type)) throw malformed("Invalid principal in policy: \"" + std::string(type) + "\"");
    if (!is_string_or_strings(ids)) throw malformed(kSyntax);
  }
}

void check_statement(const Value& statement, PolicyKind kind, std::set<std::string>& sids) {
  if (!statement.is_object()) throw malformed(kSyntax);
  const auto& s = statement.as_object();
  static const std::set<std::string, std::less<>> kKeys = {
      "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"};
  for (const auto& [key, value] : s)
    if (!kKeys.count(key)) throw malformed(kSyntax);
  if (const auto* sid = s.if_contains("Sid")) {
    if (!sid->is_string()) throw malformed(kSyntax);
    if (!sid->get_string().empty() && !sids.insert(std::string(sid->get_string())).second)
      throw malformed("Statement IDs (SID) in a single policy must be unique.");
  }
  const auto* effect = s.if_contains("Effect");
  if (!effect) throw malformed("Missing required field Effect");
  if (!effect->is_string() || (effect->get_string() != "Allow" && effect->get_string() != "Deny"))
    throw malformed(kSyntax);

  const auto* action = s.if_contains("Action");
  const auto* not_action = s.if_contains("NotAction");
  if (action && not_action) throw malformed(kSyntax);
  if (!action && !not_action) throw malformed("Policy statement must contain actions.");
  check_actions(action ? *action : *not_action);

  const auto* resource = s.if_contains("Resource");
  const auto* not_resource = s.if_contains("NotResource");
  if (resource && not_resource) throw malformed(kSyntax);
  const auto* principal = s.if_contains("Principal");
  const auto* not_principal = s.if_contains("NotPrincipal");
  if (kind == PolicyKind::kIdentity) {
    if (principal || not_principal) throw malformed("Policy document should not specify a principal.");
    if (!resource && !not_resource) throw malformed("Policy statement must contain resources.");
    check_resources(resource ? *resource : *not_resource);
  } else {
    if (resource) throw malformed("Has prohibited field Resource");
    if (not_resource) throw malformed("Has prohibited field NotResource");
    if (!principal && !not_principal) throw malformed("Missing required field Principal");
    check_principal(principal ? *principal : *not_principal);
  }
  if (const auto* condition = s.if_contains("Condition")) {
    if (!condition->is_object()) throw malformed(kSyntax);
    for (const auto& [op, block] : condition->as_object())
      if (!block.is_object()) throw malformed(kSyntax);
  }
}

}  // namespace

void validate_policy_document(const std::string& document, PolicyKind kind) {
  boost::system::error_code ec;
  Value doc = boost::json::parse(document, ec);
  if (ec) throw malformed("This policy contains invalid Json");
  if (!doc.is_object()) throw malformed(kSyntax);
  const auto& policy = doc.as_object();
  for (const auto& [key, value] : policy)
    if (key != "Version" && key != "Statement" && key != "Id") throw malformed(kSyntax);
  if (const auto* version = policy.if_contains("Version")) {
    if (!version->is_string() ||
        (version->get_string() != "2012-10-17" && version->get_string() != "2008-10-17"))
      throw malformed("The policy failed legacy parsing");
  }
  const auto* statements = policy.if_contains("Statement");
  if (!statements) throw malformed(kSyntax);
  std::set<std::string> sids;
  if (statements->is_array()) {
    if (statements->as_array().empty()) throw malformed(kSyntax);
    for (const auto& s : statements->as_array()) check_statement(s, kind, sids);
  } else {
    check_statement(*statements, kind, sids);
  }
}

size_t policy_size(const std::string& document) {
  size_t size = 0;
  bool in_string = false, escaped = false;
  for (char c : document) {
    if (in_string) {
      ++size;
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      ++size;
      if (c == '"') in_string = true;
    }
  }
  return size;
}

void check_policy_size(const std::string& document, size_t limit, const std::string& quota) {
  if (policy_size(document) > limit)
    throw AwsError("LimitExceeded", "Cannot exceed quota for " + quota + ": " + std::to_string(limit), 409);
}

}  // namespace terrarium::services::iam
