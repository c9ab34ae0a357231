// Tags on roots, OUs, accounts, policies and the resource policy.
#include <algorithm>

#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

// The resource must exist in the caller's organization.
void check_resource(store::Transaction& txn, const Org& org, const std::string& id, bool for_write) {
  if (id.rfind("p-", 0) == 0) {
    auto policy = get_doc(txn, org, kPolicies, id);
    if (!policy) throw target_not_found();
    if (for_write && policy->at("AwsManaged").as_bool())
      throw invalid_input("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
    return;
  }
  if (id.rfind("rp-", 0) == 0) {
    const auto* rp = org.doc.if_contains("resource_policy");
    if (!rp || rp->at("Id").as_string() != id) throw target_not_found();
    return;
  }
  if (!find_target(txn, org, id)) throw target_not_found();
}

}  // namespace

Value tag_resource(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string id = required(input, "ResourceId");
  check_resource(txn, org, id, true);
  Array tags = tags_of(txn, org, id);
  merge_tags(tags, input.at("Tags"));
  set_tags(txn, org, id, tags);
  return Object{};
}

Value untag_resource(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string id = required(input, "ResourceId");
  check_resource(txn, org, id, true);
  Array tags = tags_of(txn, org, id);
  for (const auto& key : input.at("TagKeys").as_array())
    tags.erase(std::remove_if(tags.begin(), tags.end(), [&](const Value& t) { return t.at("Key") == key; }), tags.end());
  set_tags(txn, org, id, tags);
  return Object{};
}

Value list_tags_for_resource(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string id = required(input, "ResourceId");
  check_resource(txn, org, id, false);
  std::vector<KeyedItem> items;
  for (const auto& tag : tags_of(txn, org, id)) items.emplace_back(std::string(tag.at("Key").as_string()), tag);
  return paged(input, std::move(items), "Tags");
}

}  // namespace terrarium::services::organizations
