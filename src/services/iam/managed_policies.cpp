// Customer managed policies and their versions (at most five, one the
// default), plus the AWS managed policies they are listed with.
#include "services/iam/managed_policies.hpp"

#include <algorithm>
#include <cstdio>

#include "services/iam/aws_managed_policies.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr size_t kMaxVersions = 5;
constexpr size_t kManagedPolicySize = 6144;
constexpr std::string_view kAwsUsageNs = "aws-policy-usage";
// AWS's managed policies predate every account; this is when they "were created".
constexpr int64_t kAwsPolicyDate = 1423440000;  // 2015-02-09

std::string name_from_arn(const std::string& arn) {
  const auto slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

Object aws_policy_doc(store::Transaction& txn, const Context& ctx, const AwsManagedPolicy& p) {
  const std::string arn = p.arn();
  Object doc{{"PolicyName", p.name},
             {"PolicyId", aws_policy_id(arn)},
             {"Arn", arn},
             {"Path", p.path},
             {"DefaultVersionId", "v1"},
             {"AttachmentCount", 0},
             {"PermissionsBoundaryUsageCount", 0},
             {"IsAttachable", true},
             {"CreateDate", kAwsPolicyDate},
             {"UpdateDate", kAwsPolicyDate},
             {"aws", true},
             {"versions", Array{Object{{"VersionId", "v1"}, {"Document", p.document}, {"CreateDate", kAwsPolicyDate}}}}};
  if (auto usage = txn.get(ns(ctx, kAwsUsageNs), arn)) {
    doc["AttachmentCount"] = usage->at("AttachmentCount");
    doc["PermissionsBoundaryUsageCount"] = usage->at("PermissionsBoundaryUsageCount");
  }
  return doc;
}

Object load_policy(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  auto policy = find_policy(txn, ctx, arn);
  if (!policy) throw no_such_entity("Policy " + arn + " was not found.");
  return std::move(*policy);
}

// What ListPolicies shows; GetPolicy and CreatePolicy add Description and Tags.
Object policy_view(const Object& doc, bool full) {
  Object out = pick(doc, {"PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount",
                          "PermissionsBoundaryUsageCount", "IsAttachable", "CreateDate", "UpdateDate"});
  if (full) {
    if (const auto* d = doc.if_contains("Description"); d && !d->as_string().empty()) out["Description"] = *d;
    if (const auto* tags = doc.if_contains("Tags"); tags && !tags->as_array().empty()) out["Tags"] = *tags;
  }
  return out;
}

Array& versions_of(Object& policy) { return policy["versions"].as_array(); }

Object version_view(const Object& policy, const Value& version, bool with_document) {
  Object out{{"VersionId", version.at("VersionId")},
             {"IsDefaultVersion", version.at("VersionId") == policy.at("DefaultVersionId")},
             {"CreateDate", version.at("CreateDate")}};
  if (with_document) out["Document"] = encode_document(version.at("Document").as_string());
  return out;
}

Value& find_version(Object& policy, const std::string& version_id) {
  for (auto& v : versions_of(policy))
    if (v.at("VersionId").as_string() == version_id) return v;
  throw no_such_entity("Policy " + std::string(policy.at("Arn").as_string()) + " version " + version_id +
                       " does not exist or is not attachable.");
}

Object local_policy_for_write(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  Object policy = load_policy(txn, ctx, arn);
  if (policy.contains("aws"))
    throw AwsError("AccessDenied", "AWS managed policy " + arn + " cannot be modified.", 403);
  return policy;
}

}  // namespace

std::optional<Object> find_policy(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  if (const auto* aws = find_aws_managed_policy(arn)) return aws_policy_doc(txn, ctx, *aws);
  auto doc = txn.get(ns(ctx, kPoliciesNs), ascii_lower(name_from_arn(arn)));
  if (!doc || doc->at("Arn").as_string() != arn) return std::nullopt;
  return std::move(doc->as_object());
}

void save_policy(store::Transaction& txn, const Context& ctx, const Object& policy) {
  if (policy.contains("aws")) {
    txn.put(ns(ctx, kAwsUsageNs), std::string(policy.at("Arn").as_string()),
            Object{{"AttachmentCount", policy.at("AttachmentCount")},
                   {"PermissionsBoundaryUsageCount", policy.at("PermissionsBoundaryUsageCount")}});
    return;
  }
  txn.put(ns(ctx, kPoliciesNs), ascii_lower(std::string(policy.at("PolicyName").as_string())), policy);
}

Object count_attachment(store::Transaction& txn, const Context& ctx, const std::string& arn, int delta) {
  auto policy = find_policy(txn, ctx, arn);
  if (!policy) throw no_such_entity("Policy " + arn + " does not exist or is not attachable.");
  (*policy)["AttachmentCount"] = std::max<int64_t>(0, policy->at("AttachmentCount").to_number<int64_t>() + delta);
  save_policy(txn, ctx, *policy);
  return std::move(*policy);
}

Value use_as_boundary(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  auto policy = find_policy(txn, ctx, arn);
  if (!policy) throw no_such_entity("Scope ARN: " + arn + " does not exist or is not attachable.");
  (*policy)["PermissionsBoundaryUsageCount"] = policy->at("PermissionsBoundaryUsageCount").to_number<int64_t>() + 1;
  save_policy(txn, ctx, *policy);
  return Object{{"PermissionsBoundaryType", "Policy"}, {"PermissionsBoundaryArn", arn}};
}

void release_boundary(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  auto policy = find_policy(txn, ctx, arn);
  if (!policy) return;
  (*policy)["PermissionsBoundaryUsageCount"] =
      std::max<int64_t>(0, policy->at("PermissionsBoundaryUsageCount").to_number<int64_t>() - 1);
  save_policy(txn, ctx, *policy);
}

Value create_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string name = required_string(input, "PolicyName");
  const std::string document = required_string(input, "PolicyDocument");
  const std::string path = path_of(input);
  validate_policy_document(document, PolicyKind::kIdentity);
  check_policy_size(document, kManagedPolicySize, "PolicySize");
  if (txn.get(ns(ctx, kPoliciesNs), ascii_lower(name)))
    throw already_exists("A policy called " + name + " already exists. Duplicate names are not allowed.");
  const int64_t now = now_seconds();
  Object policy{{"PolicyName", name},
                {"PolicyId", new_id("ANPA")},
                {"Arn", make_arn(ctx, "policy/", path, name)},
                {"Path", path},
                {"DefaultVersionId", "v1"},
                {"AttachmentCount", 0},
                {"PermissionsBoundaryUsageCount", 0},
                {"IsAttachable", true},
                {"Description", get_string(input, "Description").value_or("")},
                {"CreateDate", now},
                {"UpdateDate", now},
                {"next_version", 2},
                {"versions", Array{Object{{"VersionId", "v1"}, {"Document", document}, {"CreateDate", now}}}}};
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(policy), *tags);
  save_policy(txn, ctx, policy);
  return Object{{"Policy", policy_view(policy, true)}};
}

Value get_policy(Context& ctx, const Value& input) {
  return Object{{"Policy", policy_view(load_policy(ctx.read_txn(), ctx, required_string(input, "PolicyArn")), true)}};
}

Value list_policies(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  const std::string scope = get_string(input, "Scope").value_or("All");
  const bool only_attached = input.as_object().if_contains("OnlyAttached") && input.at("OnlyAttached").as_bool();
  const std::string usage = get_string(input, "PolicyUsageFilter").value_or("");
  std::vector<Object> policies;
  if (scope != "Local")
    for (const auto& p : aws_managed_policies()) policies.push_back(aws_policy_doc(txn, ctx, p));
  if (scope != "AWS")
    for (auto& [key, doc] : txn.list(ns(ctx, kPoliciesNs))) policies.push_back(std::move(doc.as_object()));
  std::vector<KeyedItem> items;
  for (auto& p : policies) {
    if (!matches_prefix(input, p)) continue;
    const int64_t attached = p.at("AttachmentCount").to_number<int64_t>();
    const int64_t boundary = p.at("PermissionsBoundaryUsageCount").to_number<int64_t>();
    if (only_attached && attached == 0 && boundary == 0) continue;
    if (usage == "PermissionsPolicy" && only_attached && attached == 0) continue;
    if (usage == "PermissionsBoundary" && only_attached && boundary == 0) continue;
    // AWS lists by name; the ARN tells an account's policy from AWS's of the same name.
    items.emplace_back(ascii_lower(std::string(p.at("PolicyName").as_string())) + '\0' + std::string(p.at("Arn").as_string()),
                       policy_view(p, false));
  }
  return paged_result(input, std::move(items), "Policies");
}

Value delete_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string arn = required_string(input, "PolicyArn");
  Object policy = local_policy_for_write(txn, ctx, arn);
  if (policy.at("AttachmentCount").to_number<int64_t>() > 0 ||
      policy.at("PermissionsBoundaryUsageCount").to_number<int64_t>() > 0)
    throw delete_conflict("Cannot delete a policy attached to entities.");
  if (versions_of(policy).size() > 1)
    throw delete_conflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's "
        "versions. The default version is deleted with the policy.");
  txn.erase(ns(ctx, kPoliciesNs), ascii_lower(std::string(policy.at("PolicyName").as_string())));
  return Object{};
}

Value create_policy_version(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object policy = local_policy_for_write(txn, ctx, required_string(input, "PolicyArn"));
  const std::string document = required_string(input, "PolicyDocument");
  validate_policy_document(document, PolicyKind::kIdentity);
  check_policy_size(document, kManagedPolicySize, "PolicySize");
  if (versions_of(policy).size() >= kMaxVersions)
    throw limit_exceeded(
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
        "existing version.");
  const int64_t number = policy.at("next_version").to_number<int64_t>();
  const std::string id = "v" + std::to_string(number);
  const int64_t now = now_seconds();
  Object version{{"VersionId", id}, {"Document", document}, {"CreateDate", now}};
  versions_of(policy).push_back(version);
  policy["next_version"] = number + 1;
  if (input.as_object().if_contains("SetAsDefault") && input.at("SetAsDefault").as_bool()) {
    policy["DefaultVersionId"] = id;
    policy["UpdateDate"] = now;
  }
  save_policy(txn, ctx, policy);
  return Object{{"PolicyVersion", version_view(policy, version, false)}};
}

Value get_policy_version(Context& ctx, const Value& input) {
  Object policy = load_policy(ctx.read_txn(), ctx, required_string(input, "PolicyArn"));
  const Value& version = find_version(policy, required_string(input, "VersionId"));
  return Object{{"PolicyVersion", version_view(policy, version, true)}};
}

Value list_policy_versions(Context& ctx, const Value& input) {
  Object policy = load_policy(ctx.read_txn(), ctx, required_string(input, "PolicyArn"));
  std::vector<KeyedItem> items;
  for (const auto& v : versions_of(policy)) {
    // Newest first, as AWS lists them.
    const long number = std::stol(std::string(v.at("VersionId").as_string()).substr(1));
    char key[24];
    std::snprintf(key, sizeof key, "%010ld", 1000000000L - number);
    items.emplace_back(key, version_view(policy, v, false));
  }
  return paged_result(input, std::move(items), "Versions");
}

Value delete_policy_version(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object policy = local_policy_for_write(txn, ctx, required_string(input, "PolicyArn"));
  const std::string id = required_string(input, "VersionId");
  find_version(policy, id);
  if (policy.at("DefaultVersionId").as_string() == id)
    throw delete_conflict("Cannot delete the default version of a policy.");
  auto& versions = versions_of(policy);
  versions.erase(std::remove_if(versions.begin(), versions.end(),
                                [&](const Value& v) { return v.at("VersionId").as_string() == id; }),
                 versions.end());
  save_policy(txn, ctx, policy);
  return Object{};
}

Value set_default_policy_version(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object policy = local_policy_for_write(txn, ctx, required_string(input, "PolicyArn"));
  const std::string id = required_string(input, "VersionId");
  find_version(policy, id);
  policy["DefaultVersionId"] = id;
  policy["UpdateDate"] = now_seconds();
  save_policy(txn, ctx, policy);
  return Object{};
}

Value tag_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object policy = local_policy_for_write(txn, ctx, required_string(input, "PolicyArn"));
  merge_tags(tags_of(policy), input.at("Tags"));
  save_policy(txn, ctx, policy);
  return Object{};
}

Value untag_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object policy = local_policy_for_write(txn, ctx, required_string(input, "PolicyArn"));
  remove_tags(tags_of(policy), input.at("TagKeys"));
  save_policy(txn, ctx, policy);
  return Object{};
}

Value list_policy_tags(Context& ctx, const Value& input) {
  Object policy = load_policy(ctx.read_txn(), ctx, required_string(input, "PolicyArn"));
  return paged_tags(input, tags_of(policy));
}

}  // namespace terrarium::services::iam
