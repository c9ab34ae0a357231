#include "auth/policy_evaluation.hpp"

namespace terrarium::auth {

namespace {

struct GroupResult {
  bool deny = false;
  bool allow = false;
  PrincipalGrant grant = PrincipalGrant::kNone;  // the strongest grant among matching Allows
};

// Folds `policy`'s statements that apply to `request` into `result`. With a
// trace it records every applicable statement and the context keys the
// conditions missed; without one it stops at the first Deny.
void evaluate_policy(const Policy& policy, PolicyType type, const RequestContext& request,
                     bool resource_based, GroupResult& result, EvaluationTrace* trace) {
  const auto& statements = policy.statements();
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& st = statements[i];
    if (!st.matches_action(request.action)) continue;
    if (trace)
      for (const ArnPattern& r : st.resources) r.missing_keys(request, trace->missing_context_keys);
    if (!st.matches_resource(request.resource, request)) continue;
    PrincipalGrant grant = PrincipalGrant::kDirect;
    if (st.principal.present) {
      grant = st.principal.match(request.principal);
      if (grant == PrincipalGrant::kNone) continue;
    } else if (resource_based) {
      continue;  // a resource-based statement names nobody
    }
    if (trace)
      for (const Condition& c : st.conditions) c.missing_keys(request, trace->missing_context_keys);
    if (!st.conditions_hold(request)) continue;
    if (trace) trace->matched.push_back({type, &policy, i, st.effect});
    if (st.effect == Effect::kDeny) {
      result.deny = true;
      if (!trace) return;
    } else {
      result.allow = true;
      if (grant > result.grant) result.grant = grant;
    }
  }
}

void evaluate_group(const std::vector<PolicyPtr>& policies, PolicyType type,
                    const RequestContext& request, GroupResult& result, EvaluationTrace* trace) {
  for (const PolicyPtr& policy : policies) {
    if (!policy) continue;
    evaluate_policy(*policy, type, request, false, result, trace);
    if (result.deny && !trace) return;
  }
}

// Every level must allow; returns false on the first that does not.
bool evaluate_levels(const std::vector<std::vector<PolicyPtr>>& levels, PolicyType type,
                     const RequestContext& request, bool& deny, EvaluationTrace* trace) {
  bool all_allow = true;
  for (const auto& level : levels) {
    GroupResult g;
    evaluate_group(level, type, request, g, trace);
    if (g.deny) {
      deny = true;
      if (!trace) return false;
    }
    if (!g.allow) all_allow = false;
  }
  return all_allow;
}

constexpr Decision allow(PolicyType type) { return {Outcome::kAllow, type}; }
constexpr Decision explicit_deny(PolicyType type) { return {Outcome::kExplicitDeny, type}; }
constexpr Decision implicit_deny(PolicyType type) { return {Outcome::kImplicitDeny, type}; }

bool all_read_only_principal(const std::vector<PolicyPtr>& policies) {
  for (const PolicyPtr& policy : policies)
    if (policy && !policy->reads_only_principal()) return false;
  return true;
}

}  // namespace

bool reads_only_principal(const PolicySet& policies) {
  auto levels_read_only_principal = [](const std::vector<std::vector<PolicyPtr>>& levels) {
    for (const auto& level : levels)
      if (!all_read_only_principal(level)) return false;
    return true;
  };
  return (!policies.resource || policies.resource->reads_only_principal()) &&
         (!policies.permissions_boundary || policies.permissions_boundary->reads_only_principal()) &&
         all_read_only_principal(policies.identity) && all_read_only_principal(policies.session) &&
         levels_read_only_principal(policies.scps) && levels_read_only_principal(policies.rcps);
}

Decision evaluate(const PolicySet& policies, const RequestContext& request, EvaluationTrace* trace) {
  const PrincipalFacts& principal = request.principal;
  const bool identityless = principal.kind == PrincipalKind::kService ||
                            principal.kind == PrincipalKind::kWebIdentity ||
                            principal.kind == PrincipalKind::kAnonymous;
  const bool root = principal.kind == PrincipalKind::kRoot;
  const bool has_identity_side = !identityless && !root;

  // Every group is evaluated in the order explicit denials are reported in;
  // without a trace the first Deny ends the evaluation.
  PolicyType denied_by = PolicyType::kNone;
  auto note_deny = [&](bool deny, PolicyType type) {
    if (deny && denied_by == PolicyType::kNone) denied_by = type;
    return deny && !trace;
  };

  const bool scp_applies = !policies.scps.empty() && !policies.scp_exempt && !identityless;
  bool scp_allow = true;
  if (scp_applies) {
    bool deny = false;
    scp_allow = evaluate_levels(policies.scps, PolicyType::kServiceControl, request, deny, trace);
    if (note_deny(deny, PolicyType::kServiceControl)) return explicit_deny(denied_by);
  }
  const bool rcp_applies = !policies.rcps.empty() && !policies.rcp_exempt;
  bool rcp_allow = true;
  if (rcp_applies) {
    bool deny = false;
    rcp_allow = evaluate_levels(policies.rcps, PolicyType::kResourceControl, request, deny, trace);
    if (note_deny(deny, PolicyType::kResourceControl)) return explicit_deny(denied_by);
  }
  GroupResult identity;
  if (has_identity_side) {
    evaluate_group(policies.identity, PolicyType::kIdentity, request, identity, trace);
    if (note_deny(identity.deny, PolicyType::kIdentity)) return explicit_deny(denied_by);
  }
  GroupResult resource;
  if (policies.resource) {
    evaluate_policy(*policies.resource, PolicyType::kResource, request, true, resource, trace);
    if (note_deny(resource.deny, PolicyType::kResource)) return explicit_deny(denied_by);
  }
  const bool has_boundary = has_identity_side && policies.permissions_boundary != nullptr;
  GroupResult boundary;
  if (has_boundary) {
    evaluate_policy(*policies.permissions_boundary, PolicyType::kPermissionsBoundary, request, false,
                    boundary, trace);
    if (note_deny(boundary.deny, PolicyType::kPermissionsBoundary)) return explicit_deny(denied_by);
  }
  const bool has_session = has_identity_side && !policies.session.empty();
  GroupResult session;
  if (has_session) {
    evaluate_group(policies.session, PolicyType::kSession, request, session, trace);
    if (note_deny(session.deny, PolicyType::kSession)) return explicit_deny(denied_by);
  }

  const bool boundary_ok = !has_boundary || boundary.allow;
  const bool session_ok = !has_session || session.allow;
  if (trace) {
    trace->allowed_by_organizations = scp_allow;
    trace->allowed_by_resource_controls = rcp_allow;
    trace->allowed_by_permissions_boundary = boundary_ok;
    trace->allowed_by_session_policies = session_ok;
  }
  if (denied_by != PolicyType::kNone) return explicit_deny(denied_by);
  if (!scp_allow) return implicit_deny(PolicyType::kServiceControl);
  if (!rcp_allow) return implicit_deny(PolicyType::kResourceControl);

  if (identityless)
    return resource.allow ? allow(PolicyType::kResource) : implicit_deny(PolicyType::kResource);

  // A role's trust policy must always admit the caller; naming only the
  // account then also needs the caller's own permission.
  const bool trust = policies.resource && policies.resource->kind() == PolicyKind::kTrust;
  const bool identity_allow = root || identity.allow;
  const bool same_account =
      policies.resource_account.empty() || policies.resource_account == principal.account;
  if (same_account) {
    if (trust && !resource.allow) return implicit_deny(PolicyType::kResource);
    if (resource.allow && resource.grant == PrincipalGrant::kDirect) return allow(PolicyType::kResource);
    if (resource.allow && resource.grant == PrincipalGrant::kRole) {
      // Granted to the role, so still bounded by what the session may do.
      if (!boundary_ok) return implicit_deny(PolicyType::kPermissionsBoundary);
      if (!session_ok) return implicit_deny(PolicyType::kSession);
      return allow(PolicyType::kResource);
    }
    if (!identity_allow) return implicit_deny(PolicyType::kIdentity);
    if (!boundary_ok) return implicit_deny(PolicyType::kPermissionsBoundary);
    if (!session_ok) return implicit_deny(PolicyType::kSession);
    return allow(PolicyType::kIdentity);
  }
  // Cross-account: the caller's account must allow it and so must the resource.
  if (!identity_allow) return implicit_deny(PolicyType::kIdentity);
  if (!boundary_ok) return implicit_deny(PolicyType::kPermissionsBoundary);
  if (!session_ok) return implicit_deny(PolicyType::kSession);
  if (!resource.allow) return implicit_deny(PolicyType::kResource);
  return allow(PolicyType::kResource);
}

std::string_view policy_type_name(PolicyType type) {
  switch (type) {
    case PolicyType::kNone: return "policy";
    case PolicyType::kIdentity: return "identity-based policy";
    case PolicyType::kResource: return "resource-based policy";
    case PolicyType::kPermissionsBoundary: return "permissions boundary";
    case PolicyType::kSession: return "session policy";
    case PolicyType::kServiceControl: return "service control policy";
    case PolicyType::kResourceControl: return "resource control policy";
  }
  return "policy";
}

std::string denial_reason(const Decision& decision, std::string_view action) {
  switch (decision.outcome) {
    case Outcome::kAllow: return {};
    case Outcome::kExplicitDeny:
    {
      const std::string_view type = policy_type_name(decision.policy_type);
      const bool vowel = !type.empty() && std::string_view("aeiou").find(type.front()) != std::string_view::npos;
      return std::string(vowel ? "with an explicit deny in an " : "with an explicit deny in a ") + std::string(type);
    }
    case Outcome::kImplicitDeny:
      return "because no " + std::string(policy_type_name(decision.policy_type)) + " allows the " +
             std::string(action) + " action";
  }
  return {};
}

std::string access_denied_message(std::string_view principal_arn, std::string_view action,
                                  std::string_view resource, const Decision& decision) {
  std::string message = "User: " + std::string(principal_arn) +
                        " is not authorized to perform: " + std::string(action);
  if (!resource.empty() && resource != "*") message += " on resource: " + std::string(resource);
  const std::string reason = denial_reason(decision, action);
  if (!reason.empty()) message += " " + reason;
  return message;
}

}  // namespace terrarium::auth
