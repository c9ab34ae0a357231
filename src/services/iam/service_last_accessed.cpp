// Service last accessed: Terrarium records no access, so a job completes at
// once and reports every service the entity's policies allow as never used.
#include <map>
#include <set>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/policy_reports.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kJobsNs = "access-jobs";

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
          if (key.as_string() == ascii_lower(ref.name)) add(user, kUser, "USER");
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
