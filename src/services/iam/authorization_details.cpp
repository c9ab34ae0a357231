// GetAccountAuthorizationDetails: every user, group, role and managed
// policy of the account with the policies attached to it, in one listing.
#include <set>

#include "services/iam/managed_policies.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/roles.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

Array inline_list(Object& entity) {
  Array out;
  for (const auto& [name, doc] : inline_of(entity))
    out.push_back(Object{{"PolicyName", name}, {"PolicyDocument", encode_document(doc.as_string())}});
  return out;
}

std::string policy_name_of(const std::string& arn) { return arn.substr(arn.rfind('/') + 1); }

Array attached_list(Object& entity) {
  Array out;
  for (const auto& a : attached_of(entity)) {
    const std::string arn(a.as_string());
    out.push_back(Object{{"PolicyName", policy_name_of(arn)}, {"PolicyArn", arn}});
  }
  return out;
}

void copy_optional(Object& out, const Object& doc, std::string_view member, bool non_empty_array = false) {
  if (const auto* v = doc.if_contains(member)) {
    if (non_empty_array && (!v->is_array() || v->as_array().empty())) return;
    out[member] = *v;
  }
}

Object policy_detail(const Object& policy) {
  Object out = pick(policy, {"PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount",
                             "PermissionsBoundaryUsageCount", "IsAttachable", "Description", "CreateDate",
                             "UpdateDate"});
  Array versions;
  for (const auto& v : policy.at("versions").as_array())
    versions.push_back(Object{{"Document", encode_document(v.at("Document").as_string())},
                              {"VersionId", v.at("VersionId")},
                              {"IsDefaultVersion", v.at("VersionId") == policy.at("DefaultVersionId")},
                              {"CreateDate", v.at("CreateDate")}});
  out["PolicyVersionList"] = std::move(versions);
  return out;
}

}  // namespace

Value get_account_authorization_details(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  std::set<std::string> filter;
  if (const auto* f = input.as_object().if_contains("Filter"); f && f->is_array())
    for (const auto& v : f->as_array()) filter.insert(std::string(v.as_string()));
  auto wanted = [&](const std::string& kind) { return filter.empty() || filter.count(kind) > 0; };

  std::vector<KeyedItem> items;
  if (wanted("User")) {
    for (auto& user : load_all(txn, ctx, kUser)) {
      Object d = pick(user, {"Path", "UserName", "UserId", "Arn", "CreateDate"});
      d["UserPolicyList"] = inline_list(user);
      Array groups;
      if (const auto* g = user.if_contains("groups"); g && g->is_array())
        for (const auto& key : g->as_array())
          if (auto group = find(txn, ctx, kGroup, key.as_string())) groups.push_back(group->at("GroupName"));
      d["GroupList"] = std::move(groups);
      d["AttachedManagedPolicies"] = attached_list(user);
      copy_optional(d, user, "PermissionsBoundary");
      copy_optional(d, user, "Tags", true);
      items.emplace_back("1/" + ascii_lower(name_of(user, kUser)), Object{{"k", "U"}, {"v", std::move(d)}});
    }
  }
  if (wanted("Group")) {
    for (auto& group : load_all(txn, ctx, kGroup)) {
      Object d = pick(group, {"Path", "GroupName", "GroupId", "Arn", "CreateDate"});
      d["GroupPolicyList"] = inline_list(group);
      d["AttachedManagedPolicies"] = attached_list(group);
      items.emplace_back("2/" + ascii_lower(name_of(group, kGroup)), Object{{"k", "G"}, {"v", std::move(d)}});
    }
  }
  if (wanted("Role")) {
    auto profiles = load_all(txn, ctx, kInstanceProfile);
    for (auto& role : load_all(txn, ctx, kRole)) {
      const std::string key = ascii_lower(name_of(role, kRole));
      Object d = pick(role, {"Path", "RoleName", "RoleId", "Arn", "CreateDate"});
      if (const auto* trust = role.if_contains("AssumeRolePolicyDocument"))
        d["AssumeRolePolicyDocument"] = encode_document(trust->as_string());
      Array in_profiles;
      for (auto& profile : profiles) {
        const auto* roles = profile.if_contains("roles");
        if (!roles || !roles->is_array()) continue;
        bool member = false;
        for (const auto& r : roles->as_array()) member = member || r.as_string() == key;
        if (!member) continue;
        Object p = pick(profile, {"Path", "InstanceProfileName", "InstanceProfileId", "Arn", "CreateDate"});
        Array members;
        for (const auto& r : roles->as_array())
          if (auto other = find(txn, ctx, kRole, r.as_string())) members.push_back(role_view(*other, false));
        p["Roles"] = std::move(members);
        in_profiles.push_back(std::move(p));
      }
      d["InstanceProfileList"] = std::move(in_profiles);
      d["RolePolicyList"] = inline_list(role);
      d["AttachedManagedPolicies"] = attached_list(role);
      copy_optional(d, role, "PermissionsBoundary");
      copy_optional(d, role, "Tags", true);
      d["RoleLastUsed"] = Object{};
      items.emplace_back("3/" + key, Object{{"k", "R"}, {"v", std::move(d)}});
    }
  }
  if (wanted("LocalManagedPolicy")) {
    for (auto& [key, policy] : txn.list(ns(ctx, kPoliciesNs)))
      items.emplace_back("4/" + key, Object{{"k", "P"}, {"v", policy_detail(policy.as_object())}});
  }
  if (wanted("AWSManagedPolicy")) {
    // AWS lists the AWS managed policies the account uses.
    for (auto& [arn, usage] : txn.list(ns(ctx, "aws-policy-usage"))) {
      if (usage.at("AttachmentCount").to_number<int64_t>() == 0 &&
          usage.at("PermissionsBoundaryUsageCount").to_number<int64_t>() == 0)
        continue;
      if (auto policy = find_policy(txn, ctx, arn))
        items.emplace_back("5/" + arn, Object{{"k", "P"}, {"v", policy_detail(*policy)}});
    }
  }
  Page page = paginate(input, std::move(items));
  Array users, groups, roles, policies;
  for (auto& item : page.items) {
    const auto& kind = item.at("k").as_string();
    Value& v = item.as_object()["v"];
    if (kind == "U") users.push_back(std::move(v));
    else if (kind == "G") groups.push_back(std::move(v));
    else if (kind == "R") roles.push_back(std::move(v));
    else policies.push_back(std::move(v));
  }
  Object out{{"UserDetailList", std::move(users)},
             {"GroupDetailList", std::move(groups)},
             {"RoleDetailList", std::move(roles)},
             {"Policies", std::move(policies)}};
  add_page_marker(out, page);
  return out;
}

}  // namespace terrarium::services::iam
