#include "services/organizations/policy_source.hpp"

#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

std::optional<AccountOrganization> organization_of(store::Transaction& txn, std::string_view account_id) {
  auto org = find_org_of(txn, account_id);
  if (!org) return std::nullopt;
  AccountOrganization out;
  out.organization_id = org->id;
  out.management_account = org->management;
  auto account = find_target(txn, *org, account_id);
  if (!account || !type_enabled(root_doc(txn, *org), kScp)) return out;
  const auto all = attachments(txn, *org);
  for (const auto& level : path_to(txn, *org, *account)) {
    std::vector<auth::PolicyPtr> policies;
    for (const auto& a : all) {
      if (a.target != level.id || a.type != kScp) continue;
      auto p = get_doc(txn, *org, kPolicies, a.policy);
      if (!p) continue;
      policies.push_back(auth::Policy::compile_stored(p->at("Content").as_string(), auth::PolicyKind::kServiceControl,
                                                      std::string(p->at("Arn").as_string())));
    }
    out.scp_levels.push_back(std::move(policies));
  }
  return out;
}

}  // namespace terrarium::services::organizations
