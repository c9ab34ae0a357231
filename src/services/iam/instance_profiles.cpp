// Instance profiles: a container for one role that EC2 instances carry.
#include <algorithm>

#include "services/iam/operations.hpp"
#include "services/iam/roles.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

Array& roles_of(Object& profile) {
  auto& list = profile["roles"];
  if (!list.is_array()) list = Array{};
  return list.as_array();
}

Object profile_view(store::Transaction& txn, const Context& ctx, Object& profile, bool with_tags) {
  Object out = pick(profile, {"Path", "InstanceProfileName", "InstanceProfileId", "Arn", "CreateDate"});
  Array roles;
  for (const auto& r : roles_of(profile))
    if (auto role = find(txn, ctx, kRole, r.as_string())) roles.push_back(role_view(*role, false));
  out["Roles"] = std::move(roles);
  if (with_tags && !tags_of(profile).empty()) out["Tags"] = tags_of(profile);
  return out;
}

}  // namespace

Value create_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object profile =
      create_entity(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"), path_of(input));
  roles_of(profile);
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(profile), *tags);
  save(txn, ctx, kInstanceProfile, profile);
  return Object{{"InstanceProfile", profile_view(txn, ctx, profile, true)}};
}

Value get_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object profile = load(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  return Object{{"InstanceProfile", profile_view(txn, ctx, profile, true)}};
}

Value list_instance_profiles(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  std::vector<KeyedItem> items;
  for (auto& profile : load_all(txn, ctx, kInstanceProfile))
    if (matches_prefix(input, profile))
      items.emplace_back(ascii_lower(name_of(profile, kInstanceProfile)), profile_view(txn, ctx, profile, false));
  return paged_result(input, std::move(items), "InstanceProfiles");
}

Value list_instance_profiles_for_role(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  const std::string key = ascii_lower(name_of(role, kRole));
  std::vector<KeyedItem> items;
  for (auto& profile : load_all(txn, ctx, kInstanceProfile)) {
    const auto& roles = roles_of(profile);
    if (std::any_of(roles.begin(), roles.end(), [&](const Value& r) { return r.as_string() == key; }))
      items.emplace_back(ascii_lower(name_of(profile, kInstanceProfile)), profile_view(txn, ctx, profile, false));
  }
  return paged_result(input, std::move(items), "InstanceProfiles");
}

Value add_role_to_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object profile = load(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  auto& roles = roles_of(profile);
  const std::string key = ascii_lower(name_of(role, kRole));
  if (std::any_of(roles.begin(), roles.end(), [&](const Value& r) { return r.as_string() == key; }))
    throw limit_exceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  if (!roles.empty()) throw limit_exceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  roles.push_back(Value(key));
  save(txn, ctx, kInstanceProfile, profile);
  return Object{};
}

Value remove_role_from_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object profile = load(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  const std::string role_name = required_string(input, "RoleName");
  auto& roles = roles_of(profile);
  auto it = std::find_if(roles.begin(), roles.end(), [&](const Value& r) { return r.as_string() == ascii_lower(role_name); });
  if (it == roles.end()) throw no_such_entity("The role with name " + role_name + " cannot be found.");
  roles.erase(it);
  save(txn, ctx, kInstanceProfile, profile);
  return Object{};
}

Value delete_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object profile = load(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  if (!roles_of(profile).empty())
    throw delete_conflict("Cannot delete entity, must remove roles from instance profile first.");
  txn.erase(ns(ctx, kInstanceProfile.ns), ascii_lower(name_of(profile, kInstanceProfile)));
  return Object{};
}

Value tag_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object profile = load(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  merge_tags(tags_of(profile), input.at("Tags"));
  save(txn, ctx, kInstanceProfile, profile);
  return Object{};
}

Value untag_instance_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object profile = load(txn, ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  remove_tags(tags_of(profile), input.at("TagKeys"));
  save(txn, ctx, kInstanceProfile, profile);
  return Object{};
}

Value list_instance_profile_tags(Context& ctx, const Value& input) {
  Object profile = load(ctx.read_txn(), ctx, kInstanceProfile, required_string(input, "InstanceProfileName"));
  return paged_tags(input, tags_of(profile));
}

}  // namespace terrarium::services::iam
