// Inline policies embedded in a user, group or role: Put/Get/List/Delete.
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

// AWS's quotas on the aggregate size of an entity's inline policies.
struct InlineQuota {
  size_t limit;
  std::string_view name;
};
InlineQuota quota_of(const EntityKind& kind) {
  if (&kind == &kUser) return {2048, "UserPolicySize"};
  if (&kind == &kGroup) return {5120, "GroupPolicySize"};
  return {10240, "RolePolicySize"};
}

AwsError no_such_policy(const EntityKind& kind, const std::string& name) {
  return no_such_entity("The " + std::string(kind.noun) + " policy with name " + name + " cannot be found.");
}

Value put(Context& ctx, const Value& input, const EntityKind& kind) {
  auto& txn = ctx.txn();
  Object entity = load(txn, ctx, kind, required_string(input, kind.name_member));
  const std::string name = required_string(input, "PolicyName");
  const std::string document = required_string(input, "PolicyDocument");
  validate_policy_document(document, PolicyKind::kIdentity);
  auto& policies = inline_of(entity);
  policies[name] = document;
  size_t total = 0;
  for (const auto& [n, doc] : policies) total += policy_size(std::string(doc.as_string()));
  const auto quota = quota_of(kind);
  if (total > quota.limit)
    throw limit_exceeded("Maximum policy size of " + std::to_string(quota.limit) + " bytes exceeded for " +
                         std::string(kind.noun) + " " + name_of(entity, kind));
  save(txn, ctx, kind, entity);
  return Object{};
}

Value get(Context& ctx, const Value& input, const EntityKind& kind) {
  Object entity = load(ctx.read_txn(), ctx, kind, required_string(input, kind.name_member));
  const std::string name = required_string(input, "PolicyName");
  const auto* doc = inline_of(entity).if_contains(name);
  if (!doc) throw no_such_policy(kind, name);
  return Object{{kind.name_member, entity.at(kind.name_member)},
                {"PolicyName", name},
                {"PolicyDocument", encode_document(doc->as_string())}};
}

Value list(Context& ctx, const Value& input, const EntityKind& kind) {
  Object entity = load(ctx.read_txn(), ctx, kind, required_string(input, kind.name_member));
  std::vector<KeyedItem> items;
  for (const auto& [name, doc] : inline_of(entity)) items.emplace_back(std::string(name), Value(name));
  return paged_result(input, std::move(items), "PolicyNames");
}

Value remove(Context& ctx, const Value& input, const EntityKind& kind) {
  auto& txn = ctx.txn();
  Object entity = load(txn, ctx, kind, required_string(input, kind.name_member));
  const std::string name = required_string(input, "PolicyName");
  if (!inline_of(entity).erase(name)) throw no_such_policy(kind, name);
  save(txn, ctx, kind, entity);
  return Object{};
}

}  // namespace

Value put_user_policy(Context& ctx, const Value& input) { return put(ctx, input, kUser); }
Value put_group_policy(Context& ctx, const Value& input) { return put(ctx, input, kGroup); }
Value put_role_policy(Context& ctx, const Value& input) { return put(ctx, input, kRole); }
Value get_user_policy(Context& ctx, const Value& input) { return get(ctx, input, kUser); }
Value get_group_policy(Context& ctx, const Value& input) { return get(ctx, input, kGroup); }
Value get_role_policy(Context& ctx, const Value& input) { return get(ctx, input, kRole); }
Value list_user_policies(Context& ctx, const Value& input) { return list(ctx, input, kUser); }
Value list_group_policies(Context& ctx, const Value& input) { return list(ctx, input, kGroup); }
Value list_role_policies(Context& ctx, const Value& input) { return list(ctx, input, kRole); }
Value delete_user_policy(Context& ctx, const Value& input) { return remove(ctx, input, kUser); }
Value delete_group_policy(Context& ctx, const Value& input) { return remove(ctx, input, kGroup); }
Value delete_role_policy(Context& ctx, const Value& input) { return remove(ctx, input, kRole); }

}  // namespace terrarium::services::iam
