// Organization policies (SCPs, RCPs, tag, backup, AI opt-out ... policies):
// their documents, where they are attached, the policy types enabled on the
// root, and the effective policy an account inherits.
#include <algorithm>

#include "auth/policy.hpp"
#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

// AWS's quotas: document sizes in characters, policies of a type per target.
constexpr size_t kAuthorizationPolicySize = 5120;
constexpr size_t kAiOptOutPolicySize = 2500;
constexpr size_t kManagementPolicySize = 10000;
constexpr size_t kMaxAuthorizationAttachments = 5;
constexpr size_t kMaxManagementAttachments = 10;

bool is_authorization_type(std::string_view type) { return type == kScp || type == kRcp; }

void check_content(std::string_view type, const std::string& content) {
  const size_t limit = is_authorization_type(type)           ? kAuthorizationPolicySize
                       : type == "AISERVICES_OPT_OUT_POLICY" ? kAiOptOutPolicySize
                                                             : kManagementPolicySize;
  if (content.size() > limit)
    throw constraint("POLICY_CONTENT_LIMIT_EXCEEDED",
                     "The provided policy document exceeds the maximum size limit for the policy type.");
  const std::string malformed = "The provided policy document doesn't meet the requirements of the specified policy type.";
  if (is_authorization_type(type)) {
    const auto kind = type == kScp ? auth::PolicyKind::kServiceControl : auth::PolicyKind::kResourceControl;
    if (auth::check_policy_document(content, kind)) throw error("MalformedPolicyDocumentException", malformed);
    return;
  }
  boost::system::error_code ec;
  const Value parsed = boost::json::parse(content, ec);
  if (ec || !parsed.is_object()) throw error("MalformedPolicyDocumentException", malformed);
}

void check_type_available(const Org& org) {
  if (!org.all_features())
    throw error("PolicyTypeNotAvailableForOrganizationException",
                "You can't use the specified policy type with the feature set currently enabled for this "
                "organization. For example, you can enable SCPs only after you enable all features in the "
                "organization.");
}

void check_unique_name(store::Transaction& txn, const Org& org, const std::string& type, const std::string& name,
                       std::string_view except) {
  for (auto& p : all_docs(txn, org, kPolicies))
    if (p.at("Type").as_string() == type && p.at("Name").as_string() == name && p.at("Id").as_string() != except)
      throw error("DuplicatePolicyException", "A policy with the same name already exists.");
}

bool aws_managed(const Object& policy) { return policy.at("AwsManaged").as_bool(); }

AwsError immutable() {
  return invalid_input("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
}

Object policy_view(const Object& doc) {
  return Object{{"PolicySummary", policy_summary(doc)}, {"Content", doc.at("Content")}};
}

AwsError root_not_found() {
  return error("RootNotFoundException", "We can't find a root with the RootId that you specified.");
}

Target load_target(store::Transaction& txn, const Org& org, const std::string& id) {
  auto target = find_target(txn, org, id);
  if (!target) throw target_not_found();
  return std::move(*target);
}

std::string target_name(const Target& t) {
  const auto* name = t.doc.if_contains("Name");
  return name ? std::string(name->as_string()) : t.id;
}

// Effective policies: each level's policy applied to what its parents left,
// with the inheritance operators of management policies.
void strip_operators(Value& v) {
  if (!v.is_object()) return;
  auto& obj = v.as_object();
  if (auto* assign = obj.if_contains("@@assign")) {
    Value inner = *assign;
    strip_operators(inner);
    v = std::move(inner);
    return;
  }
  for (auto it = obj.begin(); it != obj.end();) {
    if (it->key().starts_with("@@")) {
      it = obj.erase(it);
      continue;
    }
    strip_operators(it->value());
    ++it;
  }
}

Array as_list(const Value& v) {
  if (v.is_array()) return v.as_array();
  if (v.is_null()) return {};
  return Array{v};
}

void apply_policy(Object& effective, const Object& policy) {
  for (const auto& [key, value] : policy) {
    if (key.starts_with("@@")) continue;
    if (!value.is_object()) {
      effective[key] = value;
      continue;
    }
    const auto& node = value.as_object();
    if (const auto* assign = node.if_contains("@@assign")) {
      Value v = *assign;
      strip_operators(v);
      effective[key] = std::move(v);
    } else if (const auto* append = node.if_contains("@@append")) {
      Array list = effective.contains(key) ? as_list(effective[key]) : Array{};
      for (const auto& item : as_list(*append))
        if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
      effective[key] = std::move(list);
    } else if (const auto* remove = node.if_contains("@@remove")) {
      if (!effective.contains(key)) continue;
      Array list = as_list(effective[key]);
      const Array gone = as_list(*remove);
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const Value& item) { return std::find(gone.begin(), gone.end(), item) != gone.end(); }),
                 list.end());
      effective[key] = std::move(list);
    } else {
      if (!effective[key].is_object()) effective[key] = Object{};
      apply_policy(effective[key].as_object(), node);
    }
  }
}

}  // namespace

Value create_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string type = required(input, "Type");
  const std::string name = required(input, "Name");
  const std::string content = required(input, "Content");
  check_type_available(org);
  check_content(type, content);
  check_unique_name(txn, org, type, name, "");
  Array tags;
  if (const auto* t = input.as_object().if_contains("Tags")) merge_tags(tags, *t);
  const std::string id = "p-" + random_id(8);
  Object doc{{"Id", id},
             {"Arn", policy_arn(org, type, id)},
             {"Name", name},
             {"Description", required(input, "Description")},
             {"Type", type},
             {"AwsManaged", false},
             {"Content", content}};
  put_doc(txn, org, kPolicies, id, doc);
  set_tags(txn, org, id, tags);
  return Object{{"Policy", policy_view(doc)}};
}

Value describe_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  return Object{{"Policy", policy_view(load_policy(txn, org, required(input, "PolicyId")))}};
}

Value update_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string id = required(input, "PolicyId");
  Object doc = load_policy(txn, org, id);
  if (aws_managed(doc)) throw immutable();
  const std::string type(doc.at("Type").as_string());
  if (auto content = get_string(input, "Content")) {
    check_content(type, *content);
    doc["Content"] = *content;
  }
  if (auto name = get_string(input, "Name")) {
    check_unique_name(txn, org, type, *name, id);
    doc["Name"] = *name;
  }
  if (auto description = get_string(input, "Description")) doc["Description"] = *description;
  put_doc(txn, org, kPolicies, id, doc);
  return Object{{"Policy", policy_view(doc)}};
}

Value delete_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string id = required(input, "PolicyId");
  Object doc = load_policy(txn, org, id);
  if (aws_managed(doc)) throw immutable();
  for (const auto& a : attachments(txn, org))
    if (a.policy == id)
      throw error("PolicyInUseException",
                  "The policy is attached to one or more entities. You must detach it from all roots, OUs, and "
                  "accounts before performing this operation.");
  set_tags(txn, org, id, Array{});
  txn.erase(ns(org.id, kPolicies), id);
  return Object{};
}

Value list_policies(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string type = required(input, "Filter");
  std::vector<KeyedItem> items;
  for (auto& p : all_docs(txn, org, kPolicies))
    if (p.at("Type").as_string() == type) items.emplace_back(std::string(p.at("Id").as_string()), policy_summary(p));
  return paged(input, std::move(items), "Policies");
}

Value list_policies_for_target(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const Target target = load_target(txn, org, required(input, "TargetId"));
  const std::string type = required(input, "Filter");
  std::vector<KeyedItem> items;
  for (const auto& a : attachments(txn, org)) {
    if (a.target != target.id || a.type != type) continue;
    if (auto p = get_doc(txn, org, kPolicies, a.policy)) items.emplace_back(a.policy, policy_summary(*p));
  }
  return paged(input, std::move(items), "Policies");
}

Value list_targets_for_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string id = required(input, "PolicyId");
  load_policy(txn, org, id);
  std::vector<KeyedItem> items;
  for (const auto& a : attachments(txn, org)) {
    if (a.policy != id) continue;
    auto t = find_target(txn, org, a.target);
    if (!t) continue;
    items.emplace_back(t->id, Object{{"TargetId", t->id}, {"Arn", t->doc.at("Arn")}, {"Name", target_name(*t)},
                                     {"Type", t->type}});
  }
  return paged(input, std::move(items), "Targets");
}

Value attach_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const Object policy = load_policy(txn, org, required(input, "PolicyId"));
  const Target target = load_target(txn, org, required(input, "TargetId"));
  const std::string type(policy.at("Type").as_string());
  const std::string id(policy.at("Id").as_string());
  if (!type_enabled(root_doc(txn, org), type))
    throw error("PolicyTypeNotEnabledException",
                "The specified policy type isn't currently enabled in this root. You can't attach policies of the "
                "specified type to entities in a root until you enable that type in the root.");
  size_t of_type = 0;
  for (const auto& a : attachments(txn, org)) {
    if (a.target != target.id) continue;
    if (a.policy == id)
      throw error("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
    if (a.type == type) ++of_type;
  }
  if (of_type >= (is_authorization_type(type) ? kMaxAuthorizationAttachments : kMaxManagementAttachments))
    throw constraint("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                     "You attempted to exceed the number of policies of a certain type that can be attached to an "
                     "entity at one time.");
  attach(txn, org, target.id, id, type);
  return Object{};
}

Value detach_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const Object policy = load_policy(txn, org, required(input, "PolicyId"));
  const Target target = load_target(txn, org, required(input, "TargetId"));
  const std::string type(policy.at("Type").as_string());
  const std::string id(policy.at("Id").as_string());
  bool attached = false;
  size_t of_type = 0;
  for (const auto& a : attachments(txn, org)) {
    if (a.target != target.id) continue;
    if (a.policy == id) attached = true;
    if (a.type == type) ++of_type;
  }
  if (!attached)
    throw error("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
  if (id == kFullAccessRcp)
    throw invalid_input("NON_DETACHABLE_POLICY", "You can't detach the RCPFullAWSAccess policy.");
  // Every root, OU and account keeps at least one SCP.
  if (type == kScp && of_type <= 1)
    throw constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                     "You attempted to detach a policy from an entity that would cause the entity to have fewer than "
                     "the minimum number of policies of a certain type required.");
  detach(txn, org, target.id, id);
  return Object{};
}

Value enable_policy_type(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string root_id = required(input, "RootId");
  const std::string type = required(input, "PolicyType");
  if (root_id != org.root_id) throw root_not_found();
  check_type_available(org);
  Object root = root_doc(txn, org);
  if (type_enabled(root, type))
    throw error("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.");
  root["PolicyTypes"].as_array().push_back(Object{{"Type", type}, {"Status", "ENABLED"}});
  put_doc(txn, org, kRoots, root_id, root);
  // The AWS managed full-access policy goes on every root, OU and account.
  if (is_authorization_type(type)) {
    ensure_aws_managed_policy(txn, org, type);
    const std::string_view full = type == kScp ? kFullAccessScp : kFullAccessRcp;
    attach(txn, org, root_id, full, type);
    for (std::string_view kind : {kOus, kAccounts})
      for (auto& doc : all_docs(txn, org, kind)) attach(txn, org, doc.at("Id").as_string(), full, type);
  }
  return Object{{"Root", root}};
}

Value disable_policy_type(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string root_id = required(input, "RootId");
  const std::string type = required(input, "PolicyType");
  if (root_id != org.root_id) throw root_not_found();
  Object root = root_doc(txn, org);
  if (!type_enabled(root, type))
    throw error("PolicyTypeNotEnabledException",
                "This operation can be performed only for enabled policy types.");
  auto& types = root["PolicyTypes"].as_array();
  types.erase(std::remove_if(types.begin(), types.end(), [&](const Value& t) { return t.at("Type").as_string() == type; }),
              types.end());
  put_doc(txn, org, kRoots, root_id, root);
  // Disabling a type detaches all its policies from every target.
  for (const auto& a : attachments(txn, org))
    if (a.type == type) detach(txn, org, a.target, a.policy);
  return Object{{"Root", root}};
}

Value describe_effective_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_org(txn, ctx);
  const std::string type = required(input, "PolicyType");
  const std::string target_id = get_string(input, "TargetId").value_or(ctx.caller.account_id);
  // A member may ask about itself; other targets need the management account.
  if (target_id != ctx.caller.account_id) org = require_reader(txn, ctx);
  const Target target = load_target(txn, org, target_id);
  if (target.type != "ACCOUNT")
    throw invalid_input("TARGET_NOT_SUPPORTED", "You can't perform the operation on the requested target type.");
  const auto not_found = [] {
    return error("EffectivePolicyNotFoundException", "We can't find an effective policy of the PolicyType that you specified.");
  };
  if (!type_enabled(root_doc(txn, org), type)) throw not_found();
  const auto all = attachments(txn, org);
  Object effective;
  bool any = false;
  for (const auto& level : path_to(txn, org, target))
    for (const auto& a : all) {
      if (a.target != level.id || a.type != type) continue;
      auto policy = get_doc(txn, org, kPolicies, a.policy);
      if (!policy) continue;
      boost::system::error_code ec;
      Value content = boost::json::parse(policy->at("Content").as_string(), ec);
      if (ec || !content.is_object()) continue;
      apply_policy(effective, content.as_object());
      any = true;
    }
  if (!any) throw not_found();
  Value out = effective;
  strip_operators(out);
  return Object{{"EffectivePolicy", Object{{"PolicyContent", boost::json::serialize(out)},
                                           {"LastUpdatedTimestamp", now()},
                                           {"TargetId", target_id},
                                           {"PolicyType", type}}}};
}

Value list_accounts_with_invalid_effective_policy(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  require_reader(txn, ctx);
  // Terrarium's effective policies are always valid: nothing to report.
  Object out = paged(input, {}, "Accounts");
  out["PolicyType"] = required(input, "PolicyType");
  return out;
}

Value list_effective_policy_validation_errors(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string account = required(input, "AccountId");
  load_account(txn, org, account);
  const Target target = load_target(txn, org, account);
  std::string path = org.id + "/";
  for (const auto& level : path_to(txn, org, target)) path += level.id + "/";
  Object out = paged(input, {}, "EffectivePolicyValidationErrors");
  out["AccountId"] = account;
  out["PolicyType"] = required(input, "PolicyType");
  out["Path"] = path;
  out["EvaluationTimestamp"] = now();
  return out;
}

}  // namespace terrarium::services::organizations
