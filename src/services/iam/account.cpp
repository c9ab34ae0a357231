// The account's own settings: its alias (unique across all accounts, as
// AWS's are), its password policy, GetAccountSummary, and the STS token version.
#include "services/iam/mfa.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/providers.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

// Aliases are unique across every account of the server.
constexpr std::string_view kAliasOwners = "iam/account-aliases";

std::optional<std::string> alias_of(store::Transaction& txn, const Context& ctx) {
  auto doc = txn.get(ns(ctx, kAccountNs), "alias");
  if (!doc) return std::nullopt;
  return std::string(doc->at("AccountAlias").as_string());
}

}  // namespace

Value create_account_alias(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string alias = required_string(input, "AccountAlias");
  if (auto owner = txn.get(kAliasOwners, alias); owner && owner->as_string() != ctx.caller.account_id)
    throw already_exists("The account alias " + alias + " already exists.");
  // An account has one alias: a new one replaces it.
  if (auto old = alias_of(txn, ctx)) txn.erase(kAliasOwners, *old);
  txn.put(kAliasOwners, alias, Value(ctx.caller.account_id));
  txn.put(ns(ctx, kAccountNs), "alias", Object{{"AccountAlias", alias}});
  return Object{};
}

Value delete_account_alias(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string alias = required_string(input, "AccountAlias");
  auto current = alias_of(txn, ctx);
  if (!current || *current != alias) throw no_such_entity("The account alias " + alias + " cannot be found.");
  txn.erase(kAliasOwners, alias);
  txn.erase(ns(ctx, kAccountNs), "alias");
  return Object{};
}

Value list_account_aliases(Context& ctx, const Value& input) {
  std::vector<KeyedItem> items;
  if (auto alias = alias_of(ctx.read_txn(), ctx)) items.emplace_back(*alias, Value(*alias));
  return paged_result(input, std::move(items), "AccountAliases");
}

Value update_account_password_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  auto flag = [&](std::string_view member) {
    const auto* v = input.as_object().if_contains(member);
    return v && v->is_bool() && v->get_bool();
  };
  Object policy{{"MinimumPasswordLength", get_int(input, "MinimumPasswordLength").value_or(6)},
                {"RequireSymbols", flag("RequireSymbols")},
                {"RequireNumbers", flag("RequireNumbers")},
                {"RequireUppercaseCharacters", flag("RequireUppercaseCharacters")},
                {"RequireLowercaseCharacters", flag("RequireLowercaseCharacters")},
                {"AllowUsersToChangePassword", flag("AllowUsersToChangePassword")},
                {"HardExpiry", flag("HardExpiry")}};
  const int64_t max_age = get_int(input, "MaxPasswordAge").value_or(0);
  policy["ExpirePasswords"] = max_age > 0;
  if (max_age > 0) policy["MaxPasswordAge"] = max_age;
  if (auto reuse = get_int(input, "PasswordReusePrevention")) policy["PasswordReusePrevention"] = *reuse;
  txn.put(ns(ctx, kAccountNs), "password-policy", policy);
  return Object{};
}

Value get_account_password_policy(Context& ctx, const Value&) {
  auto policy = ctx.read_txn().get(ns(ctx, kAccountNs), "password-policy");
  if (!policy)
    throw no_such_entity("The Password Policy with domain name " + ctx.caller.account_id + " cannot be found.");
  return Object{{"PasswordPolicy", *policy}};
}

Value delete_account_password_policy(Context& ctx, const Value&) {
  if (!ctx.txn().erase(ns(ctx, kAccountNs), "password-policy"))
    throw no_such_entity("The account policy with name PasswordPolicy cannot be found.");
  return Object{};
}

Value get_account_summary(Context& ctx, const Value&) {
  auto& txn = ctx.read_txn();
  auto count = [&](std::string_view kind) { return static_cast<int64_t>(txn.list(ns(ctx, kind)).size()); };
  int64_t versions_in_use = 0;
  for (auto& [key, policy] : txn.list(ns(ctx, kPoliciesNs)))
    versions_in_use += static_cast<int64_t>(policy.at("versions").as_array().size());
  int64_t root_keys = 0;
  for (auto& [id, key] : txn.list(ns(ctx, kAccessKeysNs)))
    if (key.at("owner").as_string().empty()) ++root_keys;
  const auto [mfa_devices, mfa_in_use] = mfa_device_counts(txn, ctx);
  std::string token_version = "v1Token";
  if (auto prefs = txn.get(ns(ctx, kAccountNs), "sts-preferences"))
    token_version = std::string(prefs->at("GlobalEndpointTokenVersion").as_string());
  Object summary{{"Users", count(kUser.ns)},
                 {"UsersQuota", 5000},
                 {"Groups", count(kGroup.ns)},
                 {"GroupsQuota", 300},
                 {"Roles", count(kRole.ns)},
                 {"RolesQuota", 1000},
                 {"Policies", count(kPoliciesNs)},
                 {"PoliciesQuota", 1500},
                 {"InstanceProfiles", count(kInstanceProfile.ns)},
                 {"InstanceProfilesQuota", 1000},
                 {"ServerCertificates", count(kServerCertificate.ns)},
                 {"ServerCertificatesQuota", 20},
                 {"UserPolicySizeQuota", 2048},
                 {"GroupPolicySizeQuota", 5120},
                 {"RolePolicySizeQuota", 10240},
                 {"PolicySizeQuota", 6144},
                 {"AssumeRolePolicySizeQuota", 2048},
                 {"GroupsPerUserQuota", 10},
                 {"SigningCertificatesPerUserQuota", 2},
                 {"AccessKeysPerUserQuota", 2},
                 {"AttachedPoliciesPerGroupQuota", 10},
                 {"AttachedPoliciesPerRoleQuota", 10},
                 {"AttachedPoliciesPerUserQuota", 10},
                 {"VersionsPerPolicyQuota", 5},
                 {"PolicyVersionsInUse", versions_in_use},
                 {"PolicyVersionsInUseQuota", 10000},
                 {"MFADevices", mfa_devices},
                 {"MFADevicesInUse", mfa_in_use},
                 {"AccountMFAEnabled", 0},
                 {"AccountAccessKeysPresent", root_keys > 0 ? 1 : 0},
                 {"AccountPasswordPresent", 0},
                 {"AccountSigningCertificatesPresent", 0},
                 {"Providers", provider_count(txn, ctx)},
                 {"GlobalEndpointTokenVersion", token_version == "v2Token" ? 2 : 1}};
  return Object{{"SummaryMap", summary}};
}

Value set_security_token_service_preferences(Context& ctx, const Value& input) {
  ctx.txn().put(ns(ctx, kAccountNs), "sts-preferences",
                Object{{"GlobalEndpointTokenVersion", required_string(input, "GlobalEndpointTokenVersion")}});
  return Object{};
}

}  // namespace terrarium::services::iam
