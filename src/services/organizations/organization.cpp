// The organization itself: creating and deleting it, trusted access for AWS
// services, delegated administrators and the organization's resource policy.
#include <map>
#include <regex>

#include "auth/policy.hpp"
#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

void check_service_principal(const std::string& principal) {
  static const std::regex kPrincipal(R"([a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?)");
  if (!std::regex_match(principal, kPrincipal))
    throw invalid_input("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified an unrecognized service principal.");
}

void require_all_features(const Org& org) {
  if (!org.all_features())
    throw constraint("ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
                     "This operation requires the organization to have all features enabled.");
}

Object& services_of(Org& org) {
  auto& s = org.doc["services"];
  if (!s.is_object()) s = Object{};
  return s.as_object();
}

std::string delegated_key(std::string_view account, std::string_view service) {
  return std::string(account) + "/" + std::string(service);
}

}  // namespace

Value create_organization(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string& account = ctx.caller.account_id;
  if (find_org_of(txn, account))
    throw error("AlreadyInOrganizationException", "The provided account is already a member of an organization.");
  Org org;
  org.id = "o-" + random_id(10);
  org.management = account;
  org.root_id = "r-" + random_id(4);
  const std::string feature_set = get_string(input, "FeatureSet").value_or("ALL");
  const double created = now();
  const std::string email = "management+" + account + "@example.com";
  org.doc = Object{{"Id", org.id},
                   {"Arn", "arn:aws:organizations::" + account + ":organization/" + org.id},
                   {"FeatureSet", feature_set},
                   {"MasterAccountArn", account_arn(org, account)},
                   {"MasterAccountId", account},
                   {"MasterAccountEmail", email},
                   {"root", org.root_id},
                   {"created", created}};
  save_org(txn, org);
  put_doc(txn, org, kRoots, org.root_id,
          Object{{"Id", org.root_id},
                 {"Arn", arn(org, "root", org.root_id)},
                 {"Name", "Root"},
                 {"PolicyTypes", Array{}}});
  put_doc(txn, org, kAccounts, account,
          Object{{"Id", account},
                 {"Arn", account_arn(org, account)},
                 {"Email", email},
                 {"Name", "management"},
                 {"Status", "ACTIVE"},
                 {"State", "ACTIVE"},
                 {"JoinedMethod", "INVITED"},
                 {"JoinedTimestamp", created},
                 {"parent", org.root_id}});
  add_member(txn, account, org.id);
  if (org.all_features()) ensure_aws_managed_policy(txn, org, kScp);
  return Object{{"Organization", organization_view(org)}};
}

Value describe_organization(Context& ctx, const Value&) {
  return Object{{"Organization", organization_view(require_org(ctx.read_txn(), ctx))}};
}

Value delete_organization(Context& ctx, const Value&) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  if (all_docs(txn, org, kAccounts).size() > 1)
    throw error("OrganizationNotEmptyException",
                "The organization isn't empty. To delete an organization, you must first remove all accounts "
                "except the management account.");
  for (auto& [key, doc] : txn.list(kHandshakesNs))
    if (doc.at("organization").as_string() == org.id) txn.erase(kHandshakesNs, key);
  txn.erase_prefix(ns(org.id, ""));
  txn.erase(kOrgsNs, org.id);
  remove_member(txn, org.management);
  return Object{};
}

// Trusted access

Value enable_aws_service_access(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string principal = required(input, "ServicePrincipal");
  check_service_principal(principal);
  require_all_features(org);
  auto& services = services_of(org);
  if (!services.contains(principal)) services[principal] = now();
  save_org(txn, org);
  return Object{};
}

Value disable_aws_service_access(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string principal = required(input, "ServicePrincipal");
  check_service_principal(principal);
  services_of(org).erase(principal);
  save_org(txn, org);
  return Object{};
}

Value list_aws_service_access_for_organization(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  std::vector<KeyedItem> items;
  for (const auto& [principal, date] : services_of(org))
    items.emplace_back(std::string(principal), Object{{"ServicePrincipal", principal}, {"DateEnabled", date}});
  return paged(input, std::move(items), "EnabledServicePrincipals");
}

// Delegated administrators

Value register_delegated_administrator(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string account = required(input, "AccountId");
  const std::string principal = required(input, "ServicePrincipal");
  check_service_principal(principal);
  load_account(txn, org, account);
  if (account == org.management)
    throw constraint("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
                     "You cannot register the management account of the organization as a delegated administrator "
                     "for an AWS service.");
  const std::string key = delegated_key(account, principal);
  if (get_doc(txn, org, kDelegated, key))
    throw error("AccountAlreadyRegisteredException",
                "The provided account is already a delegated administrator for your organization.");
  put_doc(txn, org, kDelegated, key, Object{{"account", account}, {"service", principal}, {"date", now()}});
  return Object{};
}

Value deregister_delegated_administrator(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string account = required(input, "AccountId");
  const std::string principal = required(input, "ServicePrincipal");
  check_service_principal(principal);
  load_account(txn, org, account);
  if (!txn.erase(ns(org.id, kDelegated), delegated_key(account, principal)))
    throw error("AccountNotRegisteredException",
                "The provided account is not a registered delegated administrator for your organization.");
  return Object{};
}

Value list_delegated_administrators(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const auto service = get_string(input, "ServicePrincipal");
  // An account is listed once, with the date it was first delegated a service.
  std::map<std::string, double> first;
  for (auto& d : all_docs(txn, org, kDelegated)) {
    if (service && d.at("service").as_string() != *service) continue;
    const std::string account(d.at("account").as_string());
    const double date = d.at("date").to_number<double>();
    auto [it, inserted] = first.emplace(account, date);
    if (!inserted && date < it->second) it->second = date;
  }
  std::vector<KeyedItem> items;
  for (const auto& [account, date] : first) {
    auto doc = get_doc(txn, org, kAccounts, account);
    if (!doc) continue;
    Object view = account_view(*doc);
    view["DelegationEnabledDate"] = date;
    items.emplace_back(account, std::move(view));
  }
  return paged(input, std::move(items), "DelegatedAdministrators");
}

Value list_delegated_services_for_account(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string account = required(input, "AccountId");
  load_account(txn, org, account);
  std::vector<KeyedItem> items;
  for (auto& d : all_docs(txn, org, kDelegated))
    if (d.at("account").as_string() == account)
      items.emplace_back(std::string(d.at("service").as_string()),
                         Object{{"ServicePrincipal", d.at("service")}, {"DelegationEnabledDate", d.at("date")}});
  if (items.empty())
    throw error("AccountNotRegisteredException",
                "The provided account is not a registered delegated administrator for your organization.");
  return paged(input, std::move(items), "DelegatedServices");
}

// The organization's resource policy (who may call Organizations' read operations).

namespace {

Object resource_policy_view(const Object& policy) {
  return Object{{"ResourcePolicySummary", Object{{"Id", policy.at("Id")}, {"Arn", policy.at("Arn")}}},
                {"Content", policy.at("Content")}};
}

}  // namespace

Value put_resource_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string content = required(input, "Content");
  if (auto issue = auth::check_policy_document(content, auth::PolicyKind::kResource)) {
    const bool principal = issue->problem == auth::PolicyProblem::kMissingPrincipal ||
                           issue->problem == auth::PolicyProblem::kInvalidPrincipal;
    throw invalid_input(principal ? "INVALID_PRINCIPAL" : "INVALID_RESOURCE_POLICY_JSON", issue->message);
  }
  Object policy;
  if (const auto* old = org.doc.if_contains("resource_policy")) policy = old->as_object();
  if (!policy.contains("Id")) {
    const std::string id = "rp-" + random_id(8);
    policy["Id"] = id;
    policy["Arn"] = arn(org, "resourcepolicy", id);
  }
  policy["Content"] = content;
  org.doc["resource_policy"] = policy;
  save_org(txn, org);
  if (const auto* tags = input.as_object().if_contains("Tags")) {
    const std::string id(policy.at("Id").as_string());
    Array current = tags_of(txn, org, id);
    merge_tags(current, *tags);
    set_tags(txn, org, id, current);
  }
  return Object{{"ResourcePolicy", resource_policy_view(policy)}};
}

Value describe_resource_policy(Context& ctx, const Value&) {
  auto& txn = ctx.read_txn();
  Org org = require_org(txn, ctx);
  const auto* policy = org.doc.if_contains("resource_policy");
  if (!policy)
    throw error("ResourcePolicyNotFoundException",
                "We can't find a resource policy request with the parameter that you specified.");
  return Object{{"ResourcePolicy", resource_policy_view(policy->as_object())}};
}

Value delete_resource_policy(Context& ctx, const Value&) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const auto* policy = org.doc.if_contains("resource_policy");
  if (!policy)
    throw error("ResourcePolicyNotFoundException",
                "We can't find a resource policy request with the parameter that you specified.");
  set_tags(txn, org, std::string(policy->at("Id").as_string()), Array{});
  org.doc.erase("resource_policy");
  save_org(txn, org);
  return Object{};
}

}  // namespace terrarium::services::organizations
