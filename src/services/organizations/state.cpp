#include "services/organizations/state.hpp"

#include <algorithm>
#include <set>

#include "core/ascii.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"

namespace terrarium::services::organizations {

namespace {

constexpr size_t kMaxTags = 50;
constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

bool is_account_id(std::string_view id) {
  return id.size() == 12 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string ns(std::string_view org_id, std::string_view kind) {
  return "organizations/" + std::string(org_id) + "/" + std::string(kind);
}

double now() { return now_epoch_seconds(); }

std::string random_id(size_t length) {
  const std::string bytes = random_bytes(length);
  std::string out;
  for (unsigned char b : bytes) out += kAlphabet[b % kAlphabet.size()];
  return out;
}

AwsError error(const std::string& code, const std::string& message) { return AwsError(code, message, 400); }

AwsError invalid_input(const std::string& reason, const std::string& message) {
  return std::move(error("InvalidInputException", message).with_field("Reason", boost::json::string(reason)));
}

AwsError constraint(const std::string& reason, const std::string& message) {
  return std::move(error("ConstraintViolationException", message).with_field("Reason", boost::json::string(reason)));
}

AwsError not_in_use() {
  return error("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
}

AwsError access_denied() {
  return error("AccessDeniedException", "You don't have permissions to access this resource.");
}

AwsError account_not_found() {
  return error("AccountNotFoundException", "You specified an account that doesn't exist.");
}

AwsError policy_not_found() {
  return error("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");
}

AwsError target_not_found() {
  return error("TargetNotFoundException",
               "We can't find a root, OU, account, or policy with the TargetId that you specified.");
}

AwsError parent_not_found() {
  return error("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
}

bool Org::all_features() const { return doc.at("FeatureSet").as_string() == "ALL"; }

std::optional<Org> find_org_of(store::Transaction& txn, std::string_view account_id) {
  auto member = txn.get(kMembersNs, account_id);
  if (!member) return std::nullopt;
  const std::string id(member->at("organization").as_string());
  auto doc = txn.get(kOrgsNs, id);
  if (!doc) return std::nullopt;
  Org org;
  org.doc = std::move(doc->as_object());
  org.id = id;
  org.management = std::string(org.doc.at("MasterAccountId").as_string());
  org.root_id = std::string(org.doc.at("root").as_string());
  return org;
}

Org require_org(store::Transaction& txn, const Context& ctx) {
  auto org = find_org_of(txn, ctx.caller.account_id);
  if (!org) throw not_in_use();
  return std::move(*org);
}

Org require_management(store::Transaction& txn, const Context& ctx) {
  Org org = require_org(txn, ctx);
  if (org.management != ctx.caller.account_id) throw access_denied();
  return org;
}

Org require_reader(store::Transaction& txn, const Context& ctx) {
  Org org = require_org(txn, ctx);
  if (org.management == ctx.caller.account_id) return org;
  const std::string prefix = ctx.caller.account_id + "/";
  for (auto& [key, doc] : txn.list(ns(org.id, kDelegated), ctx.caller.account_id, 1))
    if (key.rfind(prefix, 0) == 0) return org;
  throw access_denied();
}

void save_org(store::Transaction& txn, const Org& org) { txn.put(kOrgsNs, org.id, org.doc); }

std::string arn(const Org& org, std::string_view type, std::string_view rest) {
  return "arn:aws:organizations::" + org.management + ":" + std::string(type) + "/" + org.id + "/" +
         std::string(rest);
}

std::string account_arn(const Org& org, std::string_view account_id) { return arn(org, "account", account_id); }

std::string policy_arn(const Org& org, std::string_view type, std::string_view policy_id) {
  return arn(org, "policy", ascii_lower(type) + "/" + std::string(policy_id));
}

std::optional<Object> get_doc(store::Transaction& txn, const Org& org, std::string_view kind, std::string_view id) {
  auto doc = txn.get(ns(org.id, kind), id);
  if (!doc) return std::nullopt;
  return std::move(doc->as_object());
}

void put_doc(store::Transaction& txn, const Org& org, std::string_view kind, std::string_view id,
             const Object& doc) {
  txn.put(ns(org.id, kind), id, doc);
}

std::vector<Object> all_docs(store::Transaction& txn, const Org& org, std::string_view kind) {
  std::vector<Object> out;
  for (auto& [key, doc] : txn.list(ns(org.id, kind))) out.push_back(std::move(doc.as_object()));
  return out;
}

Object load_account(store::Transaction& txn, const Org& org, std::string_view account_id) {
  auto doc = get_doc(txn, org, kAccounts, account_id);
  if (!doc) throw account_not_found();
  return std::move(*doc);
}

Object load_policy(store::Transaction& txn, const Org& org, std::string_view policy_id) {
  auto doc = get_doc(txn, org, kPolicies, policy_id);
  if (!doc) throw policy_not_found();
  return std::move(*doc);
}

Object root_doc(store::Transaction& txn, const Org& org) { return *get_doc(txn, org, kRoots, org.root_id); }

Object account_view(const Object& doc) {
  Object out;
  for (std::string_view m : {"Id", "Arn", "Email", "Name", "Status", "State", "JoinedMethod", "JoinedTimestamp"})
    if (const auto* v = doc.if_contains(m)) out[m] = *v;
  return out;
}

Object policy_summary(const Object& doc) {
  Object out;
  for (std::string_view m : {"Id", "Arn", "Name", "Description", "Type", "AwsManaged"})
    if (const auto* v = doc.if_contains(m)) out[m] = *v;
  return out;
}

Object ou_view(const Object& doc) {
  Object out;
  for (std::string_view m : {"Id", "Arn", "Name"})
    if (const auto* v = doc.if_contains(m)) out[m] = *v;
  return out;
}

std::optional<Target> find_target(store::Transaction& txn, const Org& org, std::string_view id) {
  std::string_view kind;
  std::string type;
  if (is_account_id(id)) kind = kAccounts, type = "ACCOUNT";
  else if (id.rfind("ou-", 0) == 0) kind = kOus, type = "ORGANIZATIONAL_UNIT";
  else if (id.rfind("r-", 0) == 0) kind = kRoots, type = "ROOT";
  else return std::nullopt;
  auto doc = get_doc(txn, org, kind, id);
  if (!doc) return std::nullopt;
  return Target{std::string(id), type, std::move(*doc)};
}

std::optional<Target> find_parent(store::Transaction& txn, const Org& org, std::string_view id) {
  auto t = find_target(txn, org, id);
  if (!t || t->type == "ACCOUNT") return std::nullopt;
  return t;
}

std::string parent_of(const Target& t) {
  const auto* p = t.doc.if_contains("parent");
  return p ? std::string(p->as_string()) : std::string();
}

std::vector<Target> path_to(store::Transaction& txn, const Org& org, const Target& target) {
  std::vector<Target> path{target};
  std::string parent = parent_of(target);
  // OUs nest at most five deep; the bound guards against a corrupt cycle.
  for (int depth = 0; !parent.empty() && depth < 16; ++depth) {
    auto t = find_target(txn, org, parent);
    if (!t) break;
    parent = parent_of(*t);
    path.push_back(std::move(*t));
  }
  std::reverse(path.begin(), path.end());
  return path;
}

bool type_enabled(const Object& root, std::string_view type) {
  for (const auto& t : root.at("PolicyTypes").as_array())
    if (t.at("Type").as_string() == type && t.at("Status").as_string() == "ENABLED") return true;
  return false;
}

std::vector<Attachment> attachments(store::Transaction& txn, const Org& org) {
  std::vector<Attachment> out;
  for (auto& [key, doc] : txn.list(ns(org.id, kAttachments)))
    out.push_back({std::string(doc.at("target").as_string()), std::string(doc.at("policy").as_string()),
                   std::string(doc.at("type").as_string())});
  return out;
}

void attach(store::Transaction& txn, const Org& org, std::string_view target, std::string_view policy,
            std::string_view type) {
  txn.put(ns(org.id, kAttachments), std::string(target) + "/" + std::string(policy),
          Object{{"target", target}, {"policy", policy}, {"type", type}});
}

void detach(store::Transaction& txn, const Org& org, std::string_view target, std::string_view policy) {
  txn.erase(ns(org.id, kAttachments), std::string(target) + "/" + std::string(policy));
}

void detach_all(store::Transaction& txn, const Org& org, std::string_view target) {
  for (const auto& a : attachments(txn, org))
    if (a.target == target) detach(txn, org, a.target, a.policy);
}

void attach_defaults(store::Transaction& txn, const Org& org, std::string_view target) {
  const Object root = root_doc(txn, org);
  if (type_enabled(root, kScp)) attach(txn, org, target, kFullAccessScp, kScp);
  if (type_enabled(root, kRcp)) attach(txn, org, target, kFullAccessRcp, kRcp);
}

void ensure_aws_managed_policy(store::Transaction& txn, const Org& org, std::string_view type) {
  const bool scp = type == kScp;
  const std::string_view id = scp ? kFullAccessScp : kFullAccessRcp;
  if (get_doc(txn, org, kPolicies, id)) return;
  Object statement{{"Effect", "Allow"}, {"Action", "*"}, {"Resource", "*"}};
  if (!scp) statement["Principal"] = "*";
  const Value content = Object{{"Version", "2012-10-17"}, {"Statement", Array{statement}}};
  Object doc{{"Id", id},
             {"Arn", std::string("arn:aws:organizations::aws:policy/") +
                         (scp ? "service_control_policy/" : "resource_control_policy/") + std::string(id)},
             {"Name", scp ? "FullAWSAccess" : "RCPFullAWSAccess"},
             {"Description", scp ? "Allows access to every operation"
                                 : "Allows access to every resource"},
             {"Type", type},
             {"AwsManaged", true},
             {"Content", boost::json::serialize(content)}};
  put_doc(txn, org, kPolicies, id, doc);
}

Object organization_view(const Org& org) {
  Object out;
  for (std::string_view m : {"Id", "Arn", "FeatureSet", "MasterAccountArn", "MasterAccountId", "MasterAccountEmail"})
    if (const auto* v = org.doc.if_contains(m)) out[m] = *v;
  // Deprecated by AWS, but still answered: SCPs are available with all features.
  Array types;
  if (org.all_features()) types.push_back(Object{{"Type", kScp}, {"Status", "ENABLED"}});
  out["AvailablePolicyTypes"] = std::move(types);
  return out;
}

Array tags_of(store::Transaction& txn, const Org& org, std::string_view resource_id) {
  auto doc = get_doc(txn, org, kTags, resource_id);
  if (!doc) return {};
  return doc->at("Tags").as_array();
}

void set_tags(store::Transaction& txn, const Org& org, std::string_view resource_id, const Array& tags) {
  if (tags.empty()) txn.erase(ns(org.id, kTags), resource_id);
  else put_doc(txn, org, kTags, resource_id, Object{{"Tags", tags}});
}

void merge_tags(Array& tags, const Value& input_tags) {
  if (!input_tags.is_array()) return;
  std::set<std::string> seen;
  for (const auto& tag : input_tags.as_array())
    if (!seen.insert(get_string(tag, "Key").value_or("")).second)
      throw invalid_input("DUPLICATE_TAG_KEY", "You specified a duplicate tag key.");
  for (const auto& tag : input_tags.as_array()) {
    const std::string key = get_string(tag, "Key").value_or("");
    Object entry{{"Key", key}, {"Value", get_string(tag, "Value").value_or("")}};
    auto it = std::find_if(tags.begin(), tags.end(), [&](const Value& t) { return t.at("Key").as_string() == key; });
    if (it != tags.end()) *it = std::move(entry);
    else tags.push_back(std::move(entry));
  }
  if (tags.size() > kMaxTags)
    throw constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.");
}

void add_member(store::Transaction& txn, std::string_view account_id, std::string_view org_id) {
  txn.put(kMembersNs, account_id, Object{{"organization", org_id}});
}

void remove_member(store::Transaction& txn, std::string_view account_id) { txn.erase(kMembersNs, account_id); }

Object paged(const Value& input, std::vector<KeyedItem> items, std::string_view list_member) {
  const PageStyle style{.marker_member = "NextToken", .max_member = "MaxResults", .truncated_member = "",
                        .default_max = 20, .max_max = 20};
  try {
    return paged_result(input, std::move(items), list_member, style);
  } catch (const AwsError& e) {
    if (e.code() != "ValidationError") throw;
    throw invalid_input("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.");
  }
}

std::string required(const Value& input, std::string_view member) { return get_string(input, member).value_or(""); }

}  // namespace terrarium::services::organizations
