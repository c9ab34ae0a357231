// What IAM reports about the account as a whole: the credential report,
// GetAccountAuthorizationDetails, the condition keys of policies, which
// policies grant a service, service-last-accessed jobs, and the account's
// STS token preference.
#include <algorithm>
#include <map>
#include <set>

#include "auth/policy.hpp"
#include "auth/policy_pattern.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/iam/access_keys.hpp"
#include "services/iam/managed_policies.hpp"
#include "services/iam/mfa.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/principal_policies.hpp"
#include "services/iam/roles.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kReportKey = "credential-report";
constexpr std::string_view kJobsNs = "access-jobs";
// AWS regenerates a credential report older than four hours.
constexpr int64_t kReportLifetime = 4 * 3600;

// 2015-12-21T17:16:50+00:00, the credential report's dates.
std::string report_date(int64_t seconds) {
  std::string s = format_iso8601(static_cast<double>(seconds));
  if (!s.empty() && s.back() == 'Z') s.replace(s.size() - 1, 1, "+00:00");
  return s;
}

std::string number_date(const Value& v) { return report_date(v.to_number<int64_t>()); }

std::string csv_report(store::Transaction& txn, const Context& ctx) {
  std::string csv =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
      "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
      "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
      "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
      "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";
  std::optional<int64_t> max_age;
  if (auto policy = txn.get(ns(ctx, kAccountNs), "password-policy")) max_age = get_int(*policy, "MaxPasswordAge");

  auto key_columns = [&](std::vector<Object> keys) {
    std::sort(keys.begin(), keys.end(), [](const Object& a, const Object& b) {
      return a.at("CreateDate").to_number<int64_t>() < b.at("CreateDate").to_number<int64_t>();
    });
    std::string out;
    for (size_t i = 0; i < 2; ++i) {
      if (i < keys.size())
        out += std::string(keys[i].at("Status").as_string() == "Active" ? "true" : "false") + "," +
               number_date(keys[i].at("CreateDate")) + ",N/A,N/A,N/A,";
      else
        out += "false,N/A,N/A,N/A,N/A,";
    }
    return out;
  };
  auto cert_columns = [&](const std::string& owner) {
    std::vector<Object> certs;
    for (auto& [id, doc] : txn.list(ns(ctx, "signing-certificates")))
      if (doc.at("owner").as_string() == owner) certs.push_back(std::move(doc.as_object()));
    std::string out;
    for (size_t i = 0; i < 2; ++i) {
      if (i < certs.size())
        out += std::string(certs[i].at("Status").as_string() == "Active" ? "true" : "false") + "," +
               number_date(certs[i].at("UploadDate"));
      else
        out += "false,N/A";
      out += i == 0 ? "," : "";
    }
    return out;
  };

  std::vector<Object> root_keys;
  for (auto& [id, key] : txn.list(ns(ctx, kAccessKeysNs)))
    if (key.at("owner").as_string().empty()) root_keys.push_back(std::move(key.as_object()));
  csv += "<root_account>,arn:aws:iam::" + ctx.caller.account_id + ":root," + report_date(0) +
         ",not_supported,no_information,not_supported,not_supported,false," + key_columns(root_keys) +
         cert_columns("") + "\n";

  auto users = load_all(txn, ctx, kUser);
  std::sort(users.begin(), users.end(),
            [](const Object& a, const Object& b) { return lower(name_of(a, kUser)) < lower(name_of(b, kUser)); });
  for (auto& user : users) {
    const std::string key = lower(name_of(user, kUser));
    const auto* password = user.if_contains("password");
    const bool enabled = user.contains("login_profile");
    std::string changed = "N/A", rotation = "N/A";
    if (enabled && password) {
      const int64_t when = password->at("changed").to_number<int64_t>();
      changed = report_date(when);
      if (max_age) rotation = report_date(when + *max_age * 86400);
    }
    csv += name_of(user, kUser) + "," + std::string(user.at("Arn").as_string()) + "," +
           number_date(user.at("CreateDate")) + "," + (enabled ? "true" : "false") + "," +
           (enabled ? "no_information" : "N/A") + "," + changed + "," + rotation + "," +
           (mfa_devices_of(txn, ctx, key) > 0 ? "true" : "false") + "," +
           key_columns(access_keys_of(txn, ctx, name_of(user, kUser))) + cert_columns(key) + "\n";
  }
  return csv;
}

}  // namespace

Value generate_credential_report(Context& ctx, const Value&) {
  auto& txn = ctx.txn();
  auto report = txn.get(ns(ctx, kAccountNs), kReportKey);
  const int64_t now = now_seconds();
  if (report && now - report->at("GeneratedTime").to_number<int64_t>() < kReportLifetime)
    return Object{{"State", "COMPLETE"}};
  // Terrarium writes the report at once; the first answer is still AWS's.
  txn.put(ns(ctx, kAccountNs), kReportKey, Object{{"GeneratedTime", now}, {"Content", csv_report(txn, ctx)}});
  return Object{{"State", "STARTED"}, {"Description", "No report exists. Starting a new report generation task"}};
}

Value get_credential_report(Context& ctx, const Value&) {
  auto report = ctx.read_txn().get(ns(ctx, kAccountNs), kReportKey);
  if (!report)
    throw AwsError("ReportNotPresent",
                   "Unable to find a credential report for this account. Use GenerateCredentialReport to create one.",
                   410);
  if (now_seconds() - report->at("GeneratedTime").to_number<int64_t>() >= kReportLifetime)
    throw AwsError("ReportExpired",
                   "The credential report is expired. Use GenerateCredentialReport to create a new one.", 410);
  return Object{{"Content", report->at("Content")},
                {"ReportFormat", "text/csv"},
                {"GeneratedTime", report->at("GeneratedTime")}};
}

Value set_security_token_service_preferences(Context& ctx, const Value& input) {
  ctx.txn().put(ns(ctx, kAccountNs), "sts-preferences",
                Object{{"GlobalEndpointTokenVersion", required_string(input, "GlobalEndpointTokenVersion")}});
  return Object{};
}

// GetAccountAuthorizationDetails

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
      items.emplace_back("1/" + lower(name_of(user, kUser)), Object{{"k", "U"}, {"v", std::move(d)}});
    }
  }
  if (wanted("Group")) {
    for (auto& group : load_all(txn, ctx, kGroup)) {
      Object d = pick(group, {"Path", "GroupName", "GroupId", "Arn", "CreateDate"});
      d["GroupPolicyList"] = inline_list(group);
      d["AttachedManagedPolicies"] = attached_list(group);
      items.emplace_back("2/" + lower(name_of(group, kGroup)), Object{{"k", "G"}, {"v", std::move(d)}});
    }
  }
  if (wanted("Role")) {
    auto profiles = load_all(txn, ctx, kInstanceProfile);
    for (auto& role : load_all(txn, ctx, kRole)) {
      const std::string key = lower(name_of(role, kRole));
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

// The policies of an entity, as ListPoliciesGrantingServiceAccess,
// GetContextKeysForPrincipalPolicy and service-last-accessed jobs read them.

namespace {

struct EntityRef {
  const EntityKind* kind = nullptr;  // null for a managed policy
  std::string name;
  std::string type;  // "user", "group", "role", "policy"
};

EntityRef parse_entity_arn(const std::string& arn) {
  // arn:aws:iam::<account>:<type>/<path><name>
  const auto colon = arn.rfind(':');
  const auto slash = arn.find('/', colon == std::string::npos ? 0 : colon);
  if (arn.rfind("arn:", 0) != 0 || colon == std::string::npos || slash == std::string::npos)
    throw invalid_input("ARN " + arn + " is not valid.");
  EntityRef ref;
  ref.type = arn.substr(colon + 1, slash - colon - 1);
  ref.name = arn.substr(arn.rfind('/') + 1);
  if (ref.type == "user") ref.kind = &kUser;
  else if (ref.type == "group") ref.kind = &kGroup;
  else if (ref.type == "role") ref.kind = &kRole;
  else if (ref.type != "policy") throw invalid_input("ARN " + arn + " is not valid.");
  return ref;
}

// Every policy that applies to the entity `arn` names (a user's include its
// groups'), compiled. Throws NoSuchEntity when it does not exist.
PrincipalPolicies policies_of(store::Transaction& txn, const std::string& arn) {
  const EntityRef ref = parse_entity_arn(arn);
  auto policies = entity_policies(txn, arn);
  if (!policies) {
    if (!ref.kind) throw no_such_entity("Policy " + arn + " was not found.");
    throw no_such_entity("The " + std::string(ref.kind->noun) + " with name " + ref.name + " cannot be found.");
  }
  return std::move(*policies);
}

// An Action pattern of a policy against `text`, as the policy engine matches it.
bool glob_match(std::string_view pattern, std::string_view text) {
  return auth::Pattern::compile(pattern, auth::PatternOptions{.wildcards = true, .ignore_case = true})
      .matches(text, nullptr);
}

std::string_view vendor_of(std::string_view action) { return action.substr(0, action.find(':')); }

// Whether an Allow statement of `policy` grants some action of `service`.
bool grants_service(const auth::Policy& policy, const std::string& service) {
  for (const auto& st : policy.statements()) {
    if (st.effect != auth::Effect::kAllow) continue;
    if (!st.not_action) {
      for (const auto& action : st.actions)
        if (glob_match(vendor_of(action.source()), service)) return true;
    } else {
      bool excluded = false;
      for (const auto& action : st.actions)
        excluded = excluded || action.source() == "*" || glob_match(action.source(), service + ":*");
      if (!excluded) return true;
    }
  }
  return false;
}

// The service namespaces an Allow of `policy` names ("*" for all).
void granted_services(const auth::Policy& policy, std::set<std::string>& out) {
  for (const auto& st : policy.statements())
    if (st.effect == auth::Effect::kAllow && !st.not_action)
      for (const auto& action : st.actions) out.insert(lower(vendor_of(action.source())));
}

}  // namespace

Value list_policies_granting_service_access(Context& ctx, const Value& input) {
  const auto policies = policies_of(ctx.read_txn(), required_string(input, "Arn"));
  Array out;
  for (const auto& service : get_strings(input, "ServiceNamespaces")) {
    Array granting;
    for (const auto& policy : policies.identity) {
      if (!grants_service(*policy, service)) continue;
      const PolicySource& source = policies.sources.at(policy.get());
      Object entry{{"PolicyName", source.name}, {"PolicyType", source.arn.empty() ? "INLINE" : "MANAGED"}};
      if (!source.arn.empty()) entry["PolicyArn"] = source.arn;
      else {
        entry["EntityType"] = source.type;
        entry["EntityName"] = source.entity_name;
      }
      granting.push_back(std::move(entry));
    }
    out.push_back(Object{{"ServiceNamespace", service}, {"Policies", std::move(granting)}});
  }
  return Object{{"PoliciesGrantingServiceAccess", std::move(out)}, {"IsTruncated", false}};
}

// Condition keys

namespace {

void collect_condition_keys(const auth::Policy& policy, std::vector<std::string>& keys) {
  for (const auto& st : policy.statements())
    for (const auto& condition : st.conditions) {
      const std::string& key = condition.key().name;
      if (std::none_of(keys.begin(), keys.end(), [&](const std::string& have) { return lower(have) == lower(key); }))
        keys.push_back(key);
    }
}

// A policy from the input: identity-based, or a trust or resource policy,
// which is a policy all the same.
auth::PolicyPtr compile_input(const std::string& document) {
  auto why = auth::policy_document_error(document, auth::PolicyKind::kIdentity);
  if (!why) return auth::Policy::compile_shared(document, auth::PolicyKind::kIdentity);
  if (auth::policy_document_error(document, auth::PolicyKind::kResource)) throw invalid_input(*why);
  return auth::Policy::compile_shared(document, auth::PolicyKind::kResource);
}

Value context_keys(const std::vector<auth::PolicyPtr>& policies) {
  std::vector<std::string> keys;
  for (const auto& policy : policies) collect_condition_keys(*policy, keys);
  Array out;
  for (auto& k : keys) out.push_back(Value(k));
  return Object{{"ContextKeyNames", std::move(out)}};
}

std::vector<auth::PolicyPtr> input_policies(const Value& input) {
  std::vector<auth::PolicyPtr> out;
  for (const auto& document : get_strings(input, "PolicyInputList")) out.push_back(compile_input(document));
  return out;
}

}  // namespace

Value get_context_keys_for_custom_policy(Context&, const Value& input) {
  return context_keys(input_policies(input));
}

Value get_context_keys_for_principal_policy(Context& ctx, const Value& input) {
  std::vector<auth::PolicyPtr> policies =
      policies_of(ctx.read_txn(), required_string(input, "PolicySourceArn")).identity;
  for (auto& policy : input_policies(input)) policies.push_back(std::move(policy));
  return context_keys(policies);
}

// Service last accessed: Terrarium records no access, so a job completes at
// once and reports every service the entity's policies allow as never used.

namespace {

const std::map<std::string, std::string, std::less<>>& service_names() {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"cloudformation", "AWS CloudFormation"}, {"cloudfront", "Amazon CloudFront"},
      {"cloudwatch", "Amazon CloudWatch"},      {"config", "AWS Config"},
      {"ec2", "Amazon EC2"},                    {"ecs", "Amazon Elastic Container Service"},
      {"eks", "Amazon Elastic Kubernetes Service"}, {"elasticache", "Amazon ElastiCache"},
      {"elasticloadbalancing", "Elastic Load Balancing"}, {"iam", "AWS Identity and Access Management"},
      {"kms", "AWS Key Management Service"},    {"lambda", "AWS Lambda"},
      {"logs", "Amazon CloudWatch Logs"},       {"organizations", "AWS Organizations"},
      {"rds", "Amazon RDS"},                    {"route53", "Amazon Route 53"},
      {"s3", "Amazon S3"},                      {"secretsmanager", "AWS Secrets Manager"},
      {"sns", "Amazon SNS"},                    {"ssm", "AWS Systems Manager"},
      {"sts", "AWS Security Token Service"},
  };
  return kNames;
}

std::string service_name(const std::string& ns) {
  auto it = service_names().find(ns);
  return it == service_names().end() ? ns : it->second;
}

Object load_job(store::Transaction& txn, const Context& ctx, const std::string& id) {
  auto job = txn.get(ns(ctx, kJobsNs), id);
  if (!job) throw no_such_entity("No job found with id " + id + ".");
  return std::move(job->as_object());
}

Object entity_info(const Object& doc, const EntityKind& kind, const std::string& type) {
  std::string id_member(kind.name_member);
  id_member.replace(id_member.size() - 4, 4, "Id");
  return Object{{"Arn", doc.at("Arn")},
                {"Name", doc.at(kind.name_member)},
                {"Type", type},
                {"Id", doc.at(id_member)},
                {"Path", doc.at("Path")}};
}

}  // namespace

Value generate_service_last_accessed_details(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string arn = required_string(input, "Arn");
  std::set<std::string> services;
  for (const auto& policy : policies_of(txn, arn).identity) granted_services(*policy, services);
  if (services.count("*")) {
    services.erase("*");
    for (const auto& [service, name] : service_names()) services.insert(service);
  }
  Array list;
  for (const auto& s : services) list.push_back(Value(s));
  const std::string id = new_request_id();
  const int64_t now = now_seconds();
  txn.put(ns(ctx, kJobsNs), id,
          Object{{"Arn", arn},
                 {"JobType", get_string(input, "Granularity").value_or("SERVICE_LEVEL")},
                 {"JobCreationDate", now},
                 {"JobCompletionDate", now},
                 {"services", std::move(list)}});
  return Object{{"JobId", id}};
}

Value get_service_last_accessed_details(Context& ctx, const Value& input) {
  Object job = load_job(ctx.read_txn(), ctx, required_string(input, "JobId"));
  std::vector<KeyedItem> items;
  for (const auto& s : job.at("services").as_array()) {
    const std::string service(s.as_string());
    Object entry{{"ServiceName", service_name(service)},
                 {"ServiceNamespace", service},
                 {"TotalAuthenticatedEntities", 0}};
    if (job.at("JobType").as_string() == "ACTION_LEVEL") entry["TrackedActionsLastAccessed"] = Array{};
    items.emplace_back(service, std::move(entry));
  }
  Object out = paged_result(input, std::move(items), "ServicesLastAccessed");
  out["JobStatus"] = "COMPLETED";
  out["JobType"] = job.at("JobType");
  out["JobCreationDate"] = job.at("JobCreationDate");
  out["JobCompletionDate"] = job.at("JobCompletionDate");
  return out;
}

Value get_service_last_accessed_details_with_entities(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object job = load_job(txn, ctx, required_string(input, "JobId"));
  const std::string arn(job.at("Arn").as_string());
  EntityRef ref = parse_entity_arn(arn);
  std::vector<KeyedItem> items;
  auto add = [&](const Object& doc, const EntityKind& kind, const std::string& type) {
    items.emplace_back(std::string(doc.at("Arn").as_string()), Object{{"EntityInfo", entity_info(doc, kind, type)}});
  };
  if (ref.kind == &kUser || ref.kind == &kRole) {
    if (auto doc = find(txn, ctx, *ref.kind, ref.name)) add(*doc, *ref.kind, ref.kind == &kUser ? "USER" : "ROLE");
  } else if (ref.kind == &kGroup) {
    for (auto& user : load_all(txn, ctx, kUser))
      if (const auto* g = user.if_contains("groups"); g && g->is_array())
        for (const auto& key : g->as_array())
          if (key.as_string() == lower(ref.name)) add(user, kUser, "USER");
  } else {
    auto attached = [&](Object& doc) {
      for (const auto& a : attached_of(doc))
        if (a.as_string() == arn) return true;
      return false;
    };
    for (auto& user : load_all(txn, ctx, kUser))
      if (attached(user)) add(user, kUser, "USER");
    for (auto& group : load_all(txn, ctx, kGroup))
      if (attached(group)) add(group, kGroup, "GROUP");
    for (auto& role : load_all(txn, ctx, kRole))
      if (attached(role)) add(role, kRole, "ROLE");
  }
  Object out = paged_result(input, std::move(items), "EntityDetailsList");
  out["JobStatus"] = "COMPLETED";
  out["JobCreationDate"] = job.at("JobCreationDate");
  out["JobCompletionDate"] = job.at("JobCompletionDate");
  return out;
}

}  // namespace terrarium::services::iam
