// Managed policies attached to users, groups and roles, and who a policy is
// attached to.
#include <algorithm>

#include "services/iam/managed_policies.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

// AWS's default quota of managed policies attached to one entity.
constexpr size_t kMaxAttached = 10;

std::string quota_name(const EntityKind& kind) {
  if (&kind == &kUser) return "PoliciesPerUser";
  if (&kind == &kGroup) return "PoliciesPerGroup";
  return "PoliciesPerRole";
}

Value attach(Context& ctx, const Value& input, const EntityKind& kind) {
  auto& txn = ctx.txn();
  Object entity = load(txn, ctx, kind, required_string(input, kind.name_member));
  const std::string arn = required_string(input, "PolicyArn");
  auto& attached = attached_of(entity);
  for (const auto& a : attached)
    if (a.as_string() == arn) {
      count_attachment(txn, ctx, arn, 0);  // still NoSuchEntity if it has gone
      return Object{};
    }
  if (attached.size() >= kMaxAttached)
    throw limit_exceeded("Cannot exceed quota for " + quota_name(kind) + ": " + std::to_string(kMaxAttached));
  count_attachment(txn, ctx, arn, +1);
  attached.push_back(Value(arn));
  save(txn, ctx, kind, entity);
  return Object{};
}

Value detach(Context& ctx, const Value& input, const EntityKind& kind) {
  auto& txn = ctx.txn();
  Object entity = load(txn, ctx, kind, required_string(input, kind.name_member));
  const std::string arn = required_string(input, "PolicyArn");
  auto& attached = attached_of(entity);
  auto it = std::find_if(attached.begin(), attached.end(), [&](const Value& a) { return a.as_string() == arn; });
  if (it == attached.end()) throw no_such_entity("Policy " + arn + " was not found.");
  attached.erase(it);
  count_attachment(txn, ctx, arn, -1);
  save(txn, ctx, kind, entity);
  return Object{};
}

Value list_attached(Context& ctx, const Value& input, const EntityKind& kind) {
  auto& txn = ctx.read_txn();
  Object entity = load(txn, ctx, kind, required_string(input, kind.name_member));
  const std::string prefix = get_string(input, "PathPrefix").value_or("/");
  std::vector<KeyedItem> items;
  for (const auto& a : attached_of(entity)) {
    const std::string arn(a.as_string());
    auto policy = find_policy(txn, ctx, arn);
    if (!policy) continue;
    if (policy->at("Path").as_string().subview().substr(0, prefix.size()) != prefix) continue;
    items.emplace_back(arn, Object{{"PolicyName", policy->at("PolicyName")}, {"PolicyArn", arn}});
  }
  return paged_result(input, std::move(items), "AttachedPolicies");
}

bool has_policy(Object& entity, const std::string& arn) {
  for (const auto& a : attached_of(entity))
    if (a.as_string() == arn) return true;
  return false;
}

}  // namespace

Value attach_user_policy(Context& ctx, const Value& input) { return attach(ctx, input, kUser); }
Value attach_group_policy(Context& ctx, const Value& input) { return attach(ctx, input, kGroup); }
Value attach_role_policy(Context& ctx, const Value& input) { return attach(ctx, input, kRole); }
Value detach_user_policy(Context& ctx, const Value& input) { return detach(ctx, input, kUser); }
Value detach_group_policy(Context& ctx, const Value& input) { return detach(ctx, input, kGroup); }
Value detach_role_policy(Context& ctx, const Value& input) { return detach(ctx, input, kRole); }
Value list_attached_user_policies(Context& ctx, const Value& input) { return list_attached(ctx, input, kUser); }
Value list_attached_group_policies(Context& ctx, const Value& input) { return list_attached(ctx, input, kGroup); }
Value list_attached_role_policies(Context& ctx, const Value& input) { return list_attached(ctx, input, kRole); }

Value list_entities_for_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  const std::string arn = required_string(input, "PolicyArn");
  if (!find_policy(txn, ctx, arn)) throw no_such_entity("Policy " + arn + " was not found.");
  const std::string filter = get_string(input, "EntityFilter").value_or("");
  struct Source {
    const EntityKind* kind;
    std::string_view entity_filter, list_member, id_member;
  };
  const Source sources[] = {{&kGroup, "Group", "PolicyGroups", "GroupId"},
                            {&kUser, "User", "PolicyUsers", "UserId"},
                            {&kRole, "Role", "PolicyRoles", "RoleId"}};
  // One page across the three lists: the key's first byte says which.
  std::vector<KeyedItem> items;
  for (size_t i = 0; i < 3; ++i) {
    const auto& s = sources[i];
    if (!filter.empty() && filter != s.entity_filter && filter != "LocalManagedPolicy" && filter != "AWSManagedPolicy")
      continue;
    for (auto& entity : load_all(txn, ctx, *s.kind)) {
      if (!has_policy(entity, arn) || !matches_prefix(input, entity)) continue;
      items.emplace_back(std::to_string(i) + ascii_lower(name_of(entity, *s.kind)),
                         Object{{s.kind->name_member, entity.at(s.kind->name_member)}, {s.id_member, entity.at(s.id_member)}});
    }
  }
  Page page = paginate(input, std::move(items));
  Object out{{"PolicyGroups", Array{}}, {"PolicyUsers", Array{}}, {"PolicyRoles", Array{}}};
  for (auto& item : page.items) {
    const char* member = item.as_object().contains("GroupName")  ? "PolicyGroups"
                         : item.as_object().contains("UserName") ? "PolicyUsers"
                                                                 : "PolicyRoles";
    out[member].as_array().push_back(std::move(item));
  }
  add_page_marker(out, page);
  return out;
}

}  // namespace terrarium::services::iam
