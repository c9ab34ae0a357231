// Roles: trust policy, maximum session duration, path, description, tags,
// permissions boundary.
#include "services/iam/roles.hpp"

#include "services/iam/managed_policies.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr int64_t kDefaultMaxSessionDuration = 3600;
constexpr size_t kTrustPolicySize = 2048;

void check_trust_policy(const std::string& document) {
  validate_policy_document(document, PolicyKind::kTrust);
  check_policy_size(document, kTrustPolicySize, "ACLSizePerRole");
}

bool in_instance_profile(store::Transaction& txn, const Context& ctx, const std::string& role_key) {
  for (auto& profile : load_all(txn, ctx, kInstanceProfile))
    for (const auto& r : profile["roles"].as_array())
      if (r.as_string() == role_key) return true;
  return false;
}

}  // namespace

Object role_view(const Object& doc, bool full) {
  Object out = pick(doc, {"Path", "RoleName", "RoleId", "Arn", "CreateDate", "Description", "MaxSessionDuration"});
  if (const auto* trust = doc.if_contains("AssumeRolePolicyDocument"))
    out["AssumeRolePolicyDocument"] = encode_document(trust->as_string());
  if (full) {
    if (const auto* b = doc.if_contains("PermissionsBoundary")) out["PermissionsBoundary"] = *b;
    if (const auto* tags = doc.if_contains("Tags"); tags && !tags->as_array().empty()) out["Tags"] = *tags;
    out["RoleLastUsed"] = Object{};
  }
  return out;
}

Value create_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string trust = required_string(input, "AssumeRolePolicyDocument");
  check_trust_policy(trust);
  Object role = create_entity(txn, ctx, kRole, required_string(input, "RoleName"), path_of(input));
  role["AssumeRolePolicyDocument"] = trust;
  if (auto description = get_string(input, "Description")) role["Description"] = *description;
  role["MaxSessionDuration"] = get_int(input, "MaxSessionDuration").value_or(kDefaultMaxSessionDuration);
  if (auto boundary = get_string(input, "PermissionsBoundary"))
    role["PermissionsBoundary"] = use_as_boundary(txn, ctx, *boundary);
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(role), *tags);
  save(txn, ctx, kRole, role);
  Object view = role_view(role, true);
  view.erase("RoleLastUsed");
  return Object{{"Role", view}};
}

Value get_role(Context& ctx, const Value& input) {
  return Object{{"Role", role_view(load(ctx.read_txn(), ctx, kRole, required_string(input, "RoleName")), true)}};
}

Value list_roles(Context& ctx, const Value& input) {
  std::vector<KeyedItem> items;
  for (auto& role : load_all(ctx.read_txn(), ctx, kRole))
    if (matches_prefix(input, role)) items.emplace_back(ascii_lower(name_of(role, kRole)), role_view(role, false));
  return paged_result(input, std::move(items), "Roles");
}

Value update_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  if (auto description = get_string(input, "Description")) role["Description"] = *description;
  if (auto duration = get_int(input, "MaxSessionDuration")) role["MaxSessionDuration"] = *duration;
  save(txn, ctx, kRole, role);
  return Object{};
}

Value update_role_description(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  role["Description"] = required_string(input, "Description");
  save(txn, ctx, kRole, role);
  return Object{{"Role", role_view(role, true)}};
}

Value update_assume_role_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  check_modifiable_role(role);
  const std::string trust = required_string(input, "PolicyDocument");
  check_trust_policy(trust);
  role["AssumeRolePolicyDocument"] = trust;
  save(txn, ctx, kRole, role);
  return Object{};
}

Value delete_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  check_modifiable_role(role);
  const std::string key = ascii_lower(name_of(role, kRole));
  if (in_instance_profile(txn, ctx, key))
    throw delete_conflict("Cannot delete entity, must remove roles from instance profile first.");
  if (!attached_of(role).empty()) throw delete_conflict("Cannot delete entity, must detach all policies first.");
  if (!inline_of(role).empty()) throw delete_conflict("Cannot delete entity, must delete policies first.");
  if (const auto* boundary = role.if_contains("PermissionsBoundary"))
    release_boundary(txn, ctx, std::string(boundary->at("PermissionsBoundaryArn").as_string()));
  txn.erase(ns(ctx, kRole.ns), key);
  return Object{};
}

Value tag_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  merge_tags(tags_of(role), input.at("Tags"));
  save(txn, ctx, kRole, role);
  return Object{};
}

Value untag_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  remove_tags(tags_of(role), input.at("TagKeys"));
  save(txn, ctx, kRole, role);
  return Object{};
}

Value list_role_tags(Context& ctx, const Value& input) {
  Object role = load(ctx.read_txn(), ctx, kRole, required_string(input, "RoleName"));
  return paged_tags(input, tags_of(role));
}

Value put_role_permissions_boundary(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  Value boundary = use_as_boundary(txn, ctx, required_string(input, "PermissionsBoundary"));
  if (const auto* old = role.if_contains("PermissionsBoundary"))
    release_boundary(txn, ctx, std::string(old->at("PermissionsBoundaryArn").as_string()));
  role["PermissionsBoundary"] = std::move(boundary);
  save(txn, ctx, kRole, role);
  return Object{};
}

Value delete_role_permissions_boundary(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  if (const auto* old = role.if_contains("PermissionsBoundary")) {
    release_boundary(txn, ctx, std::string(old->at("PermissionsBoundaryArn").as_string()));
    role.erase("PermissionsBoundary");
    save(txn, ctx, kRole, role);
  }
  return Object{};
}

}  // namespace terrarium::services::iam
