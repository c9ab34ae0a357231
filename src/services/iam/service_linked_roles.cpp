// Service-linked roles: roles an AWS service creates for itself under
// /aws-service-role/<service>/, trusted only by that service, which only
// the service-linked-role operations may delete.
#include <array>
#include <utility>

#include "core/ascii.hpp"
#include "core/ids.hpp"
#include "services/iam/managed_policies.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/roles.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kServiceDomain = ".amazonaws.com";
constexpr std::string_view kDeletionTasksNs = "slr-deletion-tasks";

// AWS names these after the product, not after the principal's spelling.
constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kKnownNames{{
    {"autoscaling", "AutoScaling"},
    {"elasticloadbalancing", "ElasticLoadBalancing"},
    {"ecs", "ECS"},
    {"rds", "RDS"},
    {"eks", "AmazonEKS"},
    {"eks-nodegroup.eks", "AmazonEKSNodegroup"},
    {"eks-fargate.eks", "AmazonEKSForFargate"},
    {"elasticache", "ElastiCache"},
    {"organizations", "Organizations"},
    {"spot", "EC2Spot"},
    {"spotfleet", "EC2SpotFleet"},
    {"config", "Config"},
    {"cloudtrail", "CloudTrail"},
    {"support", "Support"},
    {"trustedadvisor", "TrustedAdvisor"},
    {"ssm", "AmazonSSM"},
    {"es", "AmazonElasticsearchService"},
    {"opensearchservice", "AmazonOpenSearchService"},
    {"elasticbeanstalk", "ElasticBeanstalk"},
    {"kafka", "Kafka"},
    {"guardduty", "AmazonGuardDuty"},
    {"securityhub", "SecurityHub"},
    {"sso", "SSO"},
    {"redshift", "Redshift"},
    {"dynamodb.application-autoscaling", "ApplicationAutoScaling_DynamoDBTable"},
    {"ecs.application-autoscaling", "ApplicationAutoScaling_ECSService"},
    {"replicator.lambda", "LambdaReplicator"},
}};

std::string service_of(const Object& role) {
  const auto* s = role.if_contains("service_linked");
  return s ? std::string(s->as_string()) : std::string();
}

}  // namespace

std::string service_linked_role_name(std::string_view principal, std::string_view suffix) {
  std::string_view stem = principal;
  if (stem.size() > kServiceDomain.size() && stem.substr(stem.size() - kServiceDomain.size()) == kServiceDomain)
    stem.remove_suffix(kServiceDomain.size());
  std::string name = "AWSServiceRoleFor";
  bool known = false;
  for (const auto& [service, product] : kKnownNames)
    if (service == stem) {
      name += product;
      known = true;
    }
  if (!known) {
    // Otherwise each word of the principal, capitalized, innermost last.
    bool upper = true;
    for (char c : stem) {
      if (c == '.' || c == '-') {
        upper = true;
        continue;
      }
      name += upper ? ascii_upper(c) : c;
      upper = false;
    }
  }
  if (!suffix.empty()) name += "_" + std::string(suffix);
  return name;
}

void check_modifiable_role(const Object& role) {
  if (!service_of(role).empty())
    throw AwsError("UnmodifiableEntity",
                   "Cannot perform the operation on the protected role '" + name_of(role, kRole) +
                       "' - this role is only modifiable by AWS",
                   400);
}

Value create_service_linked_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string service = required_string(input, "AWSServiceName");
  if (service.size() <= kServiceDomain.size() ||
      service.substr(service.size() - kServiceDomain.size()) != kServiceDomain)
    throw invalid_input("Invalid service principal: " + service);
  const std::string name = service_linked_role_name(service, get_string(input, "CustomSuffix").value_or(""));
  if (find(txn, ctx, kRole, name))
    throw invalid_input("Service role name " + name +
                        " has been taken in this account, please try a different suffix.");
  Object role = create_entity(txn, ctx, kRole, name, "/aws-service-role/" + service + "/");
  role["AssumeRolePolicyDocument"] =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[")" + service +
      R"("]},"Action":["sts:AssumeRole"]}]})";
  if (auto description = get_string(input, "Description")) role["Description"] = *description;
  role["MaxSessionDuration"] = 3600;
  role["service_linked"] = service;
  save(txn, ctx, kRole, role);
  Object view = role_view(role, true);
  view.erase("RoleLastUsed");
  return Object{{"Role", view}};
}

Value delete_service_linked_role(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object role = load(txn, ctx, kRole, required_string(input, "RoleName"));
  const std::string service = service_of(role);
  if (service.empty())
    throw invalid_input("Role " + name_of(role, kRole) + " is not a service-linked role.");
  // The service cleans up after itself: the role goes with its policies.
  for (const auto& arn : attached_of(role)) count_attachment(txn, ctx, std::string(arn.as_string()), -1);
  if (const auto* boundary = role.if_contains("PermissionsBoundary"))
    release_boundary(txn, ctx, std::string(boundary->at("PermissionsBoundaryArn").as_string()));
  txn.erase(ns(ctx, kRole.ns), ascii_lower(name_of(role, kRole)));
  const std::string task =
      "task/aws-service-role/" + service + "/" + name_of(role, kRole) + "/" + new_request_id();
  txn.put(ns(ctx, kDeletionTasksNs), task, Object{{"Status", "SUCCEEDED"}});
  return Object{{"DeletionTaskId", task}};
}

Value get_service_linked_role_deletion_status(Context& ctx, const Value& input) {
  const std::string task = required_string(input, "DeletionTaskId");
  if (task.rfind("task/", 0) != 0) throw invalid_input("Invalid deletion task id: " + task);
  auto doc = ctx.read_txn().get(ns(ctx, kDeletionTasksNs), task);
  if (!doc) throw no_such_entity("Deletion task " + task + " cannot be found.");
  return Object{{"Status", doc->at("Status")}};
}

}  // namespace terrarium::services::iam
