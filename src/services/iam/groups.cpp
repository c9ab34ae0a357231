// Groups and their members. A user keeps the (lower-cased) names of its
// groups; a group's members are the users that name it.
#include <algorithm>

#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr size_t kMaxGroupsPerUser = 10;

Object group_view(const Object& doc) { return pick(doc, {"Path", "GroupName", "GroupId", "Arn", "CreateDate"}); }
Object user_view(const Object& doc) {
  return pick(doc, {"Path", "UserName", "UserId", "Arn", "CreateDate", "PermissionsBoundary"});
}

Array& groups_of(Object& user) {
  auto& list = user["groups"];
  if (!list.is_array()) list = Array{};
  return list.as_array();
}

bool in_group(Object& user, const std::string& group_key) {
  for (const auto& g : groups_of(user))
    if (g.as_string() == group_key) return true;
  return false;
}

std::vector<Object> members_of(store::Transaction& txn, const Context& ctx, const std::string& group_key) {
  std::vector<Object> out;
  for (auto& user : load_all(txn, ctx, kUser))
    if (in_group(user, group_key)) out.push_back(std::move(user));
  return out;
}

}  // namespace

Value create_group(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object group = create_entity(txn, ctx, kGroup, required_string(input, "GroupName"), path_of(input));
  save(txn, ctx, kGroup, group);
  return Object{{"Group", group_view(group)}};
}

Value get_group(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object group = load(txn, ctx, kGroup, required_string(input, "GroupName"));
  std::vector<KeyedItem> items;
  for (auto& user : members_of(txn, ctx, ascii_lower(name_of(group, kGroup))))
    items.emplace_back(ascii_lower(name_of(user, kUser)), user_view(user));
  Object out = paged_result(input, std::move(items), "Users");
  out["Group"] = group_view(group);
  return out;
}

Value list_groups(Context& ctx, const Value& input) {
  std::vector<KeyedItem> items;
  for (auto& group : load_all(ctx.read_txn(), ctx, kGroup))
    if (matches_prefix(input, group)) items.emplace_back(ascii_lower(name_of(group, kGroup)), group_view(group));
  return paged_result(input, std::move(items), "Groups");
}

Value update_group(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object group = load(txn, ctx, kGroup, required_string(input, "GroupName"));
  const std::string old_key = ascii_lower(name_of(group, kGroup));
  const std::string new_name = get_string(input, "NewGroupName").value_or(name_of(group, kGroup));
  if (auto path = get_string(input, "NewPath")) group["Path"] = *path;
  if (ascii_lower(new_name) != old_key && find(txn, ctx, kGroup, new_name))
    throw already_exists("Group with name " + new_name + " already exists.");
  group["GroupName"] = new_name;
  group["Arn"] = make_arn(ctx, kGroup.arn_type, group["Path"].as_string(), new_name);
  txn.erase(ns(ctx, kGroup.ns), old_key);
  save(txn, ctx, kGroup, group);
  for (auto& user : members_of(txn, ctx, old_key)) {
    for (auto& g : groups_of(user))
      if (g.as_string() == old_key) g = ascii_lower(new_name);
    save(txn, ctx, kUser, user);
  }
  return Object{};
}

Value delete_group(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object group = load(txn, ctx, kGroup, required_string(input, "GroupName"));
  const std::string key = ascii_lower(name_of(group, kGroup));
  if (!members_of(txn, ctx, key).empty())
    throw delete_conflict("Cannot delete entity, must remove users from group first.");
  if (!inline_of(group).empty()) throw delete_conflict("Cannot delete entity, must delete policies first.");
  if (!attached_of(group).empty()) throw delete_conflict("Cannot delete entity, must detach all policies first.");
  txn.erase(ns(ctx, kGroup.ns), key);
  return Object{};
}

Value add_user_to_group(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object group = load(txn, ctx, kGroup, required_string(input, "GroupName"));
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  const std::string key = ascii_lower(name_of(group, kGroup));
  if (in_group(user, key)) return Object{};
  if (groups_of(user).size() >= kMaxGroupsPerUser)
    throw limit_exceeded("Cannot exceed quota for GroupsPerUser: " + std::to_string(kMaxGroupsPerUser));
  groups_of(user).push_back(Value(key));
  save(txn, ctx, kUser, user);
  return Object{};
}

Value remove_user_from_group(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object group = load(txn, ctx, kGroup, required_string(input, "GroupName"));
  const std::string user_name = required_string(input, "UserName");
  Object user = load(txn, ctx, kUser, user_name);
  const std::string key = ascii_lower(name_of(group, kGroup));
  auto& groups = groups_of(user);
  auto it = std::find_if(groups.begin(), groups.end(), [&](const Value& g) { return g.as_string() == key; });
  if (it == groups.end())
    throw no_such_entity("The user with name " + user_name + " cannot be found.");
  groups.erase(it);
  save(txn, ctx, kUser, user);
  return Object{};
}

Value list_groups_for_user(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  std::vector<KeyedItem> items;
  for (const auto& g : groups_of(user))
    if (auto group = find(txn, ctx, kGroup, g.as_string())) items.emplace_back(std::string(g.as_string()), group_view(*group));
  return paged_result(input, std::move(items), "Groups");
}

}  // namespace terrarium::services::iam
