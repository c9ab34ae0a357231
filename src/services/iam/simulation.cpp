#include "services/iam/simulation.hpp"

#include <algorithm>
#include <unordered_map>

#include "auth/iam_arn.hpp"
#include "auth/policy.hpp"
#include "auth/policy_evaluation.hpp"
#include "services/iam/principal_policies.hpp"
#include "services/iam/state.hpp"
#include "services/organizations/policy_source.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

// The policies of one simulation and how the simulator names each.
struct Simulation {
  auth::PolicySet policies;
  std::unordered_map<const auth::Policy*, std::pair<std::string, std::string>> sources;  // id, type
  Caller caller;
  bool in_organization = false;
};

auth::PolicyPtr compile_input(const std::string& json, auth::PolicyKind kind) {
  validate_policy_document(json, kind);
  return auth::Policy::compile_shared(json, kind);
}

// PolicyInputList and PermissionsBoundaryPolicyInputList, named by position.
void add_input_policies(const Value& input, Simulation& sim) {
  int n = 0;
  for (const auto& json : get_strings(input, "PolicyInputList")) {
    auto policy = compile_input(json, auth::PolicyKind::kIdentity);
    sim.sources[policy.get()] = {"PolicyInputList." + std::to_string(++n), "none"};
    sim.policies.identity.push_back(std::move(policy));
  }
  n = 0;
  for (const auto& json : get_strings(input, "PermissionsBoundaryPolicyInputList")) {
    // One boundary applies; the simulator accepts a list of one.
    auto policy = compile_input(json, auth::PolicyKind::kIdentity);
    sim.sources[policy.get()] = {"PermissionsBoundaryPolicyInputList." + std::to_string(++n), "none"};
    sim.policies.permissions_boundary = std::move(policy);
  }
  if (auto resource_policy = get_string(input, "ResourcePolicy")) {
    auto policy = compile_input(*resource_policy, auth::PolicyKind::kResource);
    sim.sources[policy.get()] = {"ResourcePolicy", "resource"};
    sim.policies.resource = std::move(policy);
    if (auto owner = get_string(input, "ResourceOwner")) {
      // arn:aws:iam::<account>:root or a bare account id.
      std::string account = *owner;
      if (account.rfind("arn:aws:iam::", 0) == 0) account = account.substr(13, 12);
      sim.policies.resource_account = account;
    }
  }
}

std::string_view decision_name(auth::Outcome outcome) {
  switch (outcome) {
    case auth::Outcome::kAllow: return "allowed";
    case auth::Outcome::kExplicitDeny: return "explicitDeny";
    case auth::Outcome::kImplicitDeny: return "implicitDeny";
  }
  return "implicitDeny";
}

// Explicit deny beats implicit deny beats allow.
int severity(auth::Outcome outcome) {
  return outcome == auth::Outcome::kExplicitDeny ? 2 : outcome == auth::Outcome::kImplicitDeny ? 1 : 0;
}

Array matched_statements(const Simulation& sim, const auth::Decision& decision, const auth::EvaluationTrace& trace) {
  Array out;
  if (decision.outcome == auth::Outcome::kImplicitDeny) return out;
  // An explicit deny is reported alone; an allow by the statements that allowed.
  const auth::Effect wanted = decision.outcome == auth::Outcome::kExplicitDeny ? auth::Effect::kDeny : auth::Effect::kAllow;
  for (const auto& m : trace.matched) {
    if (m.effect != wanted) continue;
    Object statement;
    if (auto it = sim.sources.find(m.policy); it != sim.sources.end()) {
      statement["SourcePolicyId"] = it->second.first;
      statement["SourcePolicyType"] = it->second.second;
    } else {
      statement["SourcePolicyId"] = m.policy->id();
      statement["SourcePolicyType"] = "none";
    }
    const auto& st = m.policy->statements()[m.statement_index];
    statement["StartPosition"] = Object{{"Line", st.start.line}, {"Column", st.start.column}};
    statement["EndPosition"] = Object{{"Line", st.end.line}, {"Column", st.end.column}};
    out.push_back(std::move(statement));
  }
  return out;
}

void append_unique(Array& out, const Value& v) {
  if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}

Array missing_keys(const auth::EvaluationTrace& trace) {
  Array out;
  for (const auto& key : trace.missing_context_keys) append_unique(out, Value(key));
  return out;
}

void set_context_entries(const Value& input, auth::RequestContext& request) {
  const auto* entries = input.as_object().if_contains("ContextEntries");
  if (!entries || !entries->is_array()) return;
  for (const auto& entry : entries->as_array()) {
    auto name = get_string(entry, "ContextKeyName");
    if (!name) continue;
    request.set(*name, get_strings(entry, "ContextKeyValues"));
  }
}

Value simulate(const Value& input, Simulation& sim) {
  std::vector<std::string> resources = get_strings(input, "ResourceArns");
  const bool resources_given = !resources.empty();
  if (!resources_given) resources.emplace_back("*");

  std::vector<KeyedItem> results;
  size_t index = 0;
  for (const auto& action : get_strings(input, "ActionNames")) {
    Object result{{"EvalActionName", action}};
    if (resources.size() == 1) result["EvalResourceName"] = resources.front();
    auth::Outcome aggregate = auth::Outcome::kAllow;
    Array per_resource;
    Array aggregate_statements, aggregate_missing;
    bool allowed_by_organizations = true, allowed_by_boundary = true;
    for (const auto& resource : resources) {
      auth::RequestContext request = auth::request_context_for(sim.caller, action, resource, 0);
      set_context_entries(input, request);
      auth::EvaluationTrace trace;
      const auth::Decision decision = auth::evaluate(sim.policies, request, &trace);
      allowed_by_organizations = allowed_by_organizations && trace.allowed_by_organizations;
      allowed_by_boundary = allowed_by_boundary && trace.allowed_by_permissions_boundary;
      Array statements = matched_statements(sim, decision, trace);
      Array missing = missing_keys(trace);
      if (severity(decision.outcome) >= severity(aggregate)) {
        if (severity(decision.outcome) > severity(aggregate) || aggregate_statements.empty())
          aggregate_statements = statements;
        aggregate = decision.outcome;
      }
      for (const auto& key : missing) append_unique(aggregate_missing, key);
      if (resources_given)
        per_resource.push_back(Object{{"EvalResourceName", resource},
                                      {"EvalResourceDecision", decision_name(decision.outcome)},
                                      {"MatchedStatements", std::move(statements)},
                                      {"MissingContextValues", std::move(missing)}});
    }
    result["EvalDecision"] = decision_name(aggregate);
    result["MatchedStatements"] = std::move(aggregate_statements);
    result["MissingContextValues"] = std::move(aggregate_missing);
    if (sim.in_organization)
      result["OrganizationsDecisionDetail"] = Object{{"AllowedByOrganizations", allowed_by_organizations}};
    if (sim.policies.permissions_boundary)
      result["PermissionsBoundaryDecisionDetail"] = Object{{"AllowedByPermissionsBoundary", allowed_by_boundary}};
    if (resources_given) {
      result["EvalDecisionDetails"] = Object{};
      result["ResourceSpecificResults"] = std::move(per_resource);
    }
    // Results keep the order of ActionNames across pages.
    char key[16];
    std::snprintf(key, sizeof key, "%08zu", index++);
    results.emplace_back(key, std::move(result));
  }
  return paged_result(input, std::move(results), "EvaluationResults");
}

}  // namespace

Value simulate_principal_policy(Context& ctx, const Value& input) {
  const std::string source = required_string(input, "PolicySourceArn");
  auto& txn = ctx.read_txn();
  auto entity = entity_policies(txn, source);
  if (!entity) throw no_such_entity("PolicySourceArn " + source + " does not exist.");
  Simulation sim;
  sim.policies.identity = std::move(entity->identity);
  sim.policies.permissions_boundary = std::move(entity->permissions_boundary);
  for (const auto& policy : sim.policies.identity) {
    const auto it = entity->sources.find(policy.get());
    sim.sources[policy.get()] = {policy->id(), it == entity->sources.end() ? "none" : it->second.type};
  }
  if (sim.policies.permissions_boundary)
    sim.sources[sim.policies.permissions_boundary.get()] = {sim.policies.permissions_boundary->id(), "user-managed"};
  add_input_policies(input, sim);

  // The principal the policies belong to; CallerArn stands in for a group.
  sim.caller.account_id = ctx.caller.account_id;
  if (auto arn = auth::parse_iam_arn(source); arn && arn->type == "role") {
    sim.caller.type = PrincipalType::kAssumedRole;
    sim.caller.role_arn = source;
    sim.caller.arn = source;
  } else {
    sim.caller.type = PrincipalType::kUser;
    sim.caller.arn = source;
  }
  if (auto caller_arn = get_string(input, "CallerArn")) sim.caller.arn = *caller_arn;
  sim.caller.user_id = sim.caller.arn;

  if (auto org = organizations::organization_of(txn, ctx.caller.account_id)) {
    sim.in_organization = true;
    sim.policies.scp_exempt = org->management_account == ctx.caller.account_id;
    sim.policies.scps = std::move(org->scp_levels);
  }
  return simulate(input, sim);
}

Value simulate_custom_policy(Context& ctx, const Value& input) {
  Simulation sim;
  add_input_policies(input, sim);
  sim.caller.account_id = ctx.caller.account_id;
  sim.caller.type = PrincipalType::kUser;
  sim.caller.arn = get_string(input, "CallerArn").value_or("");
  sim.caller.user_id = sim.caller.arn;
  return simulate(input, sim);
}

}  // namespace terrarium::services::iam
