// AWS Organizations' operations and the IAM access each asks for (the
// Service Authorization Reference's "Actions, resources, and condition keys
// for AWS Organizations").
#include <functional>

#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"
#include "services/registry.hpp"

namespace terrarium::services {

namespace {

using organizations::Org;

// Resolves ARNs against the caller's organization, in a snapshot of its own
// so that the handler's write transaction is still to be opened.
using Fill = std::function<void(store::Transaction&, const Org&, const Value&, AccessRequest&)>;

template <class F>
void with_txn(Context& ctx, F&& f) {
  if (ctx.open_txn) return f(*ctx.open_txn);
  if (!ctx.store) return;
  auto txn = ctx.store->begin_read();
  f(*txn);
}

Access in_org(Fill fill) {
  return Access::on([fill = std::move(fill)](Context& ctx, const Value& input, AccessRequest& r) {
    with_txn(ctx, [&](store::Transaction& txn) {
      if (auto org = organizations::find_org_of(txn, ctx.caller.account_id)) fill(txn, *org, input, r);
    });
  });
}

void add_key(AccessRequest& r, const std::string& key, const std::optional<std::string>& value) {
  if (value) r.keys[key] = {*value};
}

// A root, OU or account, by id.
void add_target(store::Transaction& txn, const Org& org, const std::string& id, AccessRequest& r) {
  if (id.rfind("ou-", 0) == 0) r.resources.push_back(organizations::arn(org, "ou", id));
  else if (id.rfind("r-", 0) == 0) r.resources.push_back(organizations::arn(org, "root", id));
  else if (id.rfind("rp-", 0) == 0) r.resources.push_back(organizations::arn(org, "resourcepolicy", id));
  else r.resources.push_back(organizations::account_arn(org, id));
  add_resource_tags(r, organizations::tags_of(txn, org, id));
}

void add_policy(store::Transaction& txn, const Org& org, const std::string& id, AccessRequest& r) {
  auto policy = organizations::get_doc(txn, org, organizations::kPolicies, id);
  if (!policy) return;
  r.resources.push_back(std::string(policy->at("Arn").as_string()));
  r.keys["organizations:PolicyType"] = {std::string(policy->at("Type").as_string())};
  add_resource_tags(r, organizations::tags_of(txn, org, id));
}

void add_resource(store::Transaction& txn, const Org& org, const std::string& id, AccessRequest& r) {
  if (id.rfind("p-", 0) == 0) add_policy(txn, org, id, r);
  else add_target(txn, org, id, r);
}

Access on_member(std::string member) {
  return in_org([member = std::move(member)](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& r) {
    if (auto id = get_string(in, member)) add_target(txn, org, *id, r);
  });
}

Access on_policy() {
  return in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& r) {
    add_policy(txn, org, get_string(in, "PolicyId").value_or(""), r);
  });
}

Access on_policy_and_target() {
  return in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& r) {
    add_policy(txn, org, get_string(in, "PolicyId").value_or(""), r);
    add_target(txn, org, get_string(in, "TargetId").value_or(""), r);
  });
}

Access on_handshake() {
  return Access::on([](Context& ctx, const Value& in, AccessRequest& r) {
    with_txn(ctx, [&](store::Transaction& txn) {
      if (auto h = txn.get(organizations::kHandshakesNs, get_string(in, "HandshakeId").value_or("")))
        r.resources.push_back(std::string(h->at("Arn").as_string()));
    });
  });
}

Access with_request_tags() {
  return Access::on([](Context&, const Value& in, AccessRequest& r) {
    if (const auto* tags = in.as_object().if_contains("Tags")) add_request_tags(r, *tags);
  });
}

Access with_key(std::string key, std::string member) {
  return Access::on([key = std::move(key), member = std::move(member)](Context&, const Value& in, AccessRequest& r) {
    add_key(r, key, get_string(in, member));
  });
}

Access delegated_admin() {
  return in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& r) {
    add_target(txn, org, get_string(in, "AccountId").value_or(""), r);
    add_key(r, "organizations:ServicePrincipal", get_string(in, "ServicePrincipal"));
  });
}

Access on_root_with_type() {
  return in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& r) {
    add_target(txn, org, get_string(in, "RootId").value_or(""), r);
    add_key(r, "organizations:PolicyType", get_string(in, "PolicyType"));
  });
}

}  // namespace

void register_organizations(Registry& r) {
  using namespace organizations;
  const std::string s = "organizations";
  const auto any = Access::any_resource;

  // The organization
  r.add(s, "CreateOrganization", create_organization, any());
  r.add(s, "DescribeOrganization", describe_organization, any());
  r.add(s, "DeleteOrganization", delete_organization, any());
  r.add(s, "EnableAllFeatures", enable_all_features, any());
  r.add(s, "EnableAWSServiceAccess", enable_aws_service_access,
        with_key("organizations:ServicePrincipal", "ServicePrincipal"));
  r.add(s, "DisableAWSServiceAccess", disable_aws_service_access,
        with_key("organizations:ServicePrincipal", "ServicePrincipal"));
  r.add(s, "ListAWSServiceAccessForOrganization", list_aws_service_access_for_organization, any());
  r.add(s, "RegisterDelegatedAdministrator", register_delegated_administrator, delegated_admin());
  r.add(s, "DeregisterDelegatedAdministrator", deregister_delegated_administrator, delegated_admin());
  r.add(s, "ListDelegatedAdministrators", list_delegated_administrators,
        with_key("organizations:ServicePrincipal", "ServicePrincipal"));
  r.add(s, "ListDelegatedServicesForAccount", list_delegated_services_for_account, on_member("AccountId"));
  r.add(s, "PutResourcePolicy", put_resource_policy, with_request_tags());
  r.add(s, "DescribeResourcePolicy", describe_resource_policy, any());
  r.add(s, "DeleteResourcePolicy", delete_resource_policy, any());

  // Accounts
  r.add(s, "CreateAccount", create_account, with_request_tags());
  r.add(s, "DescribeCreateAccountStatus", describe_create_account_status, any());
  r.add(s, "ListCreateAccountStatus", list_create_account_status, any());
  r.add(s, "DescribeAccount", describe_account, on_member("AccountId"));
  r.add(s, "ListAccounts", list_accounts, any());
  r.add(s, "ListAccountsForParent", list_accounts_for_parent, on_member("ParentId"));
  r.add(s, "CloseAccount", close_account, on_member("AccountId"));
  r.add(s, "RemoveAccountFromOrganization", remove_account_from_organization, on_member("AccountId"));
  r.add(s, "LeaveOrganization", leave_organization, any());
  r.add(s, "MoveAccount", move_account,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          for (const char* m : {"AccountId", "SourceParentId", "DestinationParentId"})
            if (auto id = get_string(in, m)) add_target(txn, org, *id, req);
        }));

  r.add(s, "CreateGovCloudAccount", create_gov_cloud_account, with_request_tags());

  // Billing responsibility transfers
  r.add(s, "ListInboundResponsibilityTransfers", list_inbound_responsibility_transfers, any());
  r.add(s, "ListOutboundResponsibilityTransfers", list_outbound_responsibility_transfers, any());
  r.add(s, "DescribeResponsibilityTransfer", describe_responsibility_transfer, any());
  r.add(s, "TerminateResponsibilityTransfer", terminate_responsibility_transfer, any());
  r.add(s, "UpdateResponsibilityTransfer", update_responsibility_transfer, any());

  // Handshakes
  r.add(s, "InviteAccountToOrganization", invite_account_to_organization, with_request_tags());
  r.add(s, "AcceptHandshake", accept_handshake, on_handshake());
  r.add(s, "DeclineHandshake", decline_handshake, on_handshake());
  r.add(s, "CancelHandshake", cancel_handshake, on_handshake());
  r.add(s, "DescribeHandshake", describe_handshake, on_handshake());
  r.add(s, "ListHandshakesForAccount", list_handshakes_for_account, any());
  r.add(s, "ListHandshakesForOrganization", list_handshakes_for_organization, any());

  // Roots and organizational units
  r.add(s, "ListRoots", list_roots, any());
  r.add(s, "CreateOrganizationalUnit", create_organizational_unit,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          add_target(txn, org, get_string(in, "ParentId").value_or(""), req);
          if (const auto* tags = in.as_object().if_contains("Tags")) add_request_tags(req, *tags);
        }));
  r.add(s, "DescribeOrganizationalUnit", describe_organizational_unit, on_member("OrganizationalUnitId"));
  r.add(s, "UpdateOrganizationalUnit", update_organizational_unit, on_member("OrganizationalUnitId"));
  r.add(s, "DeleteOrganizationalUnit", delete_organizational_unit, on_member("OrganizationalUnitId"));
  r.add(s, "ListOrganizationalUnitsForParent", list_organizational_units_for_parent, on_member("ParentId"));
  r.add(s, "ListChildren", list_children, on_member("ParentId"));
  r.add(s, "ListParents", list_parents, on_member("ChildId"));

  // Policies
  r.add(s, "CreatePolicy", create_policy, Access::on([](Context&, const Value& in, AccessRequest& req) {
          add_key(req, "organizations:PolicyType", get_string(in, "Type"));
          if (const auto* tags = in.as_object().if_contains("Tags")) add_request_tags(req, *tags);
        }));
  r.add(s, "DescribePolicy", describe_policy, on_policy());
  r.add(s, "UpdatePolicy", update_policy, on_policy());
  r.add(s, "DeletePolicy", delete_policy, on_policy());
  r.add(s, "ListPolicies", list_policies, with_key("organizations:PolicyType", "Filter"));
  r.add(s, "ListPoliciesForTarget", list_policies_for_target,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          add_target(txn, org, get_string(in, "TargetId").value_or(""), req);
          add_key(req, "organizations:PolicyType", get_string(in, "Filter"));
        }));
  r.add(s, "ListTargetsForPolicy", list_targets_for_policy, on_policy());
  r.add(s, "AttachPolicy", attach_policy, on_policy_and_target());
  r.add(s, "DetachPolicy", detach_policy, on_policy_and_target());
  r.add(s, "EnablePolicyType", enable_policy_type, on_root_with_type());
  r.add(s, "DisablePolicyType", disable_policy_type, on_root_with_type());
  r.add(s, "DescribeEffectivePolicy", describe_effective_policy,
        Access::on([](Context& ctx, const Value& in, AccessRequest& req) {
          with_txn(ctx, [&](store::Transaction& txn) {
            if (auto org = find_org_of(txn, ctx.caller.account_id))
              add_target(txn, *org, get_string(in, "TargetId").value_or(ctx.caller.account_id), req);
          });
          add_key(req, "organizations:PolicyType", get_string(in, "PolicyType"));
        }));
  r.add(s, "ListAccountsWithInvalidEffectivePolicy", list_accounts_with_invalid_effective_policy,
        with_key("organizations:PolicyType", "PolicyType"));
  r.add(s, "ListEffectivePolicyValidationErrors", list_effective_policy_validation_errors,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          add_target(txn, org, get_string(in, "AccountId").value_or(""), req);
          add_key(req, "organizations:PolicyType", get_string(in, "PolicyType"));
        }));

  // Tags
  r.add(s, "TagResource", tag_resource,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          add_resource(txn, org, get_string(in, "ResourceId").value_or(""), req);
          if (const auto* tags = in.as_object().if_contains("Tags")) add_request_tags(req, *tags);
        }));
  r.add(s, "UntagResource", untag_resource,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          add_resource(txn, org, get_string(in, "ResourceId").value_or(""), req);
          std::vector<std::string> keys;
          if (const auto* k = in.as_object().if_contains("TagKeys"); k && k->is_array())
            for (const auto& key : k->as_array())
              if (key.is_string()) keys.emplace_back(key.as_string());
          if (!keys.empty()) req.keys["aws:TagKeys"] = std::move(keys);
        }));
  r.add(s, "ListTagsForResource", list_tags_for_resource,
        in_org([](store::Transaction& txn, const Org& org, const Value& in, AccessRequest& req) {
          add_resource(txn, org, get_string(in, "ResourceId").value_or(""), req);
        }));
}

}  // namespace terrarium::services
