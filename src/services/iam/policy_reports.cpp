#include "services/iam/policy_reports.hpp"

#include <algorithm>

#include "auth/iam_arn.hpp"
#include "auth/policy_pattern.hpp"
#include "services/iam/operations.hpp"

namespace terrarium::services::iam {

namespace {

// An Action pattern of a policy against `text`, as the policy engine matches it.
bool glob_match(std::string_view pattern, std::string_view text) {
  return auth::Pattern::compile(pattern, auth::PatternOptions{.wildcards = true, .ignore_case = true})
      .matches(text, nullptr);
}

std::string_view vendor_of(std::string_view action) { return action.substr(0, action.find(':')); }

// Whether an Allow statement of `policy` grants some action of `service`.
bool grants_service(const auth::Policy& policy, const std::string& service) {
  for (const auto& st : policy.statements()) {
    if (st.effect != auth::Effect::kAllow) continue;
    if (!st.not_action) {
      for (const auto& action : st.actions)
        if (glob_match(vendor_of(action.source()), service)) return true;
    } else {
      bool excluded = false;
      for (const auto& action : st.actions)
        excluded = excluded || action.source() == "*" || glob_match(action.source(), service + ":*");
      if (!excluded) return true;
    }
  }
  return false;
}

}  // namespace

EntityRef parse_entity_arn(const std::string& arn) {
  auto parsed = auth::parse_iam_arn(arn);
  if (!parsed) throw invalid_input("ARN " + arn + " is not valid.");
  EntityRef ref;
  ref.type = std::move(parsed->type);
  ref.name = std::move(parsed->name);
  if (ref.type == "user") ref.kind = &kUser;
  else if (ref.type == "group") ref.kind = &kGroup;
  else if (ref.type == "role") ref.kind = &kRole;
  else if (ref.type != "policy") throw invalid_input("ARN " + arn + " is not valid.");
  return ref;
}

PrincipalPolicies policies_of(store::Transaction& txn, const std::string& arn) {
  const EntityRef ref = parse_entity_arn(arn);
  auto policies = entity_policies(txn, arn);
  if (!policies) {
    if (!ref.kind) throw no_such_entity("Policy " + arn + " was not found.");
    throw no_such_entity("The " + std::string(ref.kind->noun) + " with name " + ref.name + " cannot be found.");
  }
  return std::move(*policies);
}

void granted_services(const auth::Policy& policy, std::set<std::string>& out) {
  for (const auto& st : policy.statements())
    if (st.effect == auth::Effect::kAllow && !st.not_action)
      for (const auto& action : st.actions) out.insert(ascii_lower(vendor_of(action.source())));
}

Value list_policies_granting_service_access(Context& ctx, const Value& input) {
  const auto policies = policies_of(ctx.read_txn(), required_string(input, "Arn"));
  Array out;
  for (const auto& service : get_strings(input, "ServiceNamespaces")) {
    Array granting;
    for (const auto& policy : policies.identity) {
      if (!grants_service(*policy, service)) continue;
      const PolicySource& source = policies.sources.at(policy.get());
      Object entry{{"PolicyName", source.name}, {"PolicyType", source.arn.empty() ? "INLINE" : "MANAGED"}};
      if (!source.arn.empty()) entry["PolicyArn"] = source.arn;
      else {
        entry["EntityType"] = source.type;
        entry["EntityName"] = source.entity_name;
      }
      granting.push_back(std::move(entry));
    }
    out.push_back(Object{{"ServiceNamespace", service}, {"Policies", std::move(granting)}});
  }
  return Object{{"PoliciesGrantingServiceAccess", std::move(out)}, {"IsTruncated", false}};
}

// Condition keys

namespace {

void collect_condition_keys(const auth::Policy& policy, std::vector<std::string>& keys) {
  for (const auto& st : policy.statements())
    for (const auto& condition : st.conditions) {
      const std::string& key = condition.key().name;
      if (std::none_of(keys.begin(), keys.end(), [&](const std::string& have) { return ascii_lower(have) == ascii_lower(key); }))
        keys.push_back(key);
    }
}

// A policy from the input: identity-based, or a trust or resource policy,
// which is a policy all the same.
auth::PolicyPtr compile_input(const std::string& document) {
  auto why = auth::policy_document_error(document, auth::PolicyKind::kIdentity);
  if (!why) return auth::Policy::compile_shared(document, auth::PolicyKind::kIdentity);
  if (auth::policy_document_error(document, auth::PolicyKind::kResource)) throw invalid_input(*why);
  return auth::Policy::compile_shared(document, auth::PolicyKind::kResource);
}

Value context_keys(const std::vector<auth::PolicyPtr>& policies) {
  std::vector<std::string> keys;
  for (const auto& policy : policies) collect_condition_keys(*policy, keys);
  Array out;
  for (auto& k : keys) out.push_back(Value(k));
  return Object{{"ContextKeyNames", std::move(out)}};
}

std::vector<auth::PolicyPtr> input_policies(const Value& input) {
  std::vector<auth::PolicyPtr> out;
  for (const auto& document : get_strings(input, "PolicyInputList")) out.push_back(compile_input(document));
  return out;
}

}  // namespace

Value get_context_keys_for_custom_policy(Context&, const Value& input) {
  return context_keys(input_policies(input));
}

Value get_context_keys_for_principal_policy(Context& ctx, const Value& input) {
  std::vector<auth::PolicyPtr> policies =
      policies_of(ctx.read_txn(), required_string(input, "PolicySourceArn")).identity;
  for (auto& policy : input_policies(input)) policies.push_back(std::move(policy));
  return context_keys(policies);
}

}  // namespace terrarium::services::iam
