#include "services/iam/aws_managed_policies.hpp"

#include <cstdint>

#include "core/base32.hpp"

namespace terrarium::services::iam {

namespace {

std::string allow(std::initializer_list<std::string_view> actions) {
  std::string list;
  for (auto a : actions) list += std::string(list.empty() ? "" : ",") + "\"" + std::string(a) + "\"";
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[)" + list +
         R"(],"Resource":"*"}]})";
}

}  // namespace

const std::vector<AwsManagedPolicy>& aws_managed_policies() {
  static const std::vector<AwsManagedPolicy> kPolicies = {
      {"AdministratorAccess", "/", allow({"*"})},
      {"PowerUserAccess", "/",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions"],"Resource":"*"}]})"},
      {"ReadOnlyAccess", "/", allow({"*:Describe*", "*:Get*", "*:List*"})},
      {"ViewOnlyAccess", "/job-function/", allow({"*:Describe*", "*:List*"})},
      {"IAMFullAccess", "/", allow({"iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization"})},
      {"IAMReadOnlyAccess", "/", allow({"iam:GenerateCredentialReport", "iam:Get*", "iam:List*"})},
      {"AmazonS3FullAccess", "/", allow({"s3:*", "s3-object-lambda:*"})},
      {"AmazonS3ReadOnlyAccess", "/", allow({"s3:Get*", "s3:List*", "s3:Describe*"})},
      {"AmazonEC2FullAccess", "/", allow({"ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*"})},
      {"AmazonEC2ReadOnlyAccess", "/", allow({"ec2:Describe*", "elasticloadbalancing:Describe*", "cloudwatch:Get*", "cloudwatch:List*"})},
      {"AmazonVPCFullAccess", "/", allow({"ec2:*Vpc*", "ec2:*Subnet*", "ec2:*Route*", "ec2:*Gateway*", "ec2:Describe*"})},
      {"AmazonRDSFullAccess", "/", allow({"rds:*", "ec2:Describe*", "cloudwatch:*"})},
      {"AmazonRDSReadOnlyAccess", "/", allow({"rds:Describe*", "rds:List*"})},
      {"AmazonElastiCacheFullAccess", "/", allow({"elasticache:*"})},
      {"AmazonDynamoDBFullAccess", "/", allow({"dynamodb:*"})},
      {"AmazonSQSFullAccess", "/", allow({"sqs:*"})},
      {"AmazonSNSFullAccess", "/", allow({"sns:*"})},
      {"CloudWatchFullAccess", "/", allow({"cloudwatch:*", "logs:*", "sns:*"})},
      {"CloudWatchLogsFullAccess", "/", allow({"logs:*"})},
      {"CloudWatchAgentServerPolicy", "/", allow({"cloudwatch:PutMetricData", "ec2:DescribeTags", "logs:PutLogEvents", "logs:CreateLogStream", "logs:CreateLogGroup", "ssm:GetParameter"})},
      {"AWSLambda_FullAccess", "/", allow({"lambda:*", "logs:*", "iam:PassRole"})},
      {"AWSCloudFormationFullAccess", "/", allow({"cloudformation:*"})},
      {"AWSOrganizationsFullAccess", "/", allow({"organizations:*"})},
      {"AWSKeyManagementServicePowerUser", "/", allow({"kms:*"})},
      {"SecretsManagerReadWrite", "/", allow({"secretsmanager:*"})},
      {"AmazonSSMFullAccess", "/", allow({"ssm:*"})},
      {"AmazonSSMManagedInstanceCore", "/", allow({"ssm:*", "ssmmessages:*", "ec2messages:*"})},
      {"AmazonEKSClusterPolicy", "/", allow({"autoscaling:*", "ec2:*", "elasticloadbalancing:*", "kms:DescribeKey"})},
      {"AmazonEKSServicePolicy", "/", allow({"ec2:*", "elasticloadbalancing:*", "route53:*"})},
      {"AmazonEKSWorkerNodePolicy", "/", allow({"ec2:Describe*", "eks:DescribeCluster"})},
      {"AmazonEKS_CNI_Policy", "/", allow({"ec2:AssignPrivateIpAddresses", "ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:Describe*", "ec2:CreateTags"})},
      {"AmazonEKSVPCResourceController", "/", allow({"ec2:CreateNetworkInterfacePermission", "ec2:Describe*"})},
      {"AmazonEC2ContainerRegistryReadOnly", "/", allow({"ecr:Get*", "ecr:Describe*", "ecr:List*", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"})},
      {"AmazonEC2ContainerRegistryFullAccess", "/", allow({"ecr:*"})},
      {"AmazonECS_FullAccess", "/", allow({"ecs:*", "ec2:Describe*", "elasticloadbalancing:*", "iam:PassRole"})},
      {"CloudFrontFullAccess", "/", allow({"cloudfront:*"})},
      {"AmazonRoute53FullAccess", "/", allow({"route53:*"})},
      {"ElasticLoadBalancingFullAccess", "/", allow({"elasticloadbalancing:*"})},
      {"AWSLambdaBasicExecutionRole", "/service-role/", allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"})},
      {"AWSLambdaVPCAccessExecutionRole", "/service-role/", allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"})},
      {"AmazonECSTaskExecutionRolePolicy", "/service-role/", allow({"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"})},
      {"AmazonEC2ContainerServiceforEC2Role", "/service-role/", allow({"ecs:*", "ecr:GetAuthorizationToken", "logs:CreateLogStream", "logs:PutLogEvents"})},
      {"AmazonRDSEnhancedMonitoringRole", "/service-role/", allow({"logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:PutLogEvents"})},
  };
  return kPolicies;
}

const AwsManagedPolicy* find_aws_managed_policy(std::string_view arn) {
  for (const auto& p : aws_managed_policies())
    if (p.arn() == arn) return &p;
  return nullptr;
}

std::string aws_policy_id(std::string_view arn) {
  // FNV-1a: stable across runs and builds, unlike std::hash.
  uint64_t h = 1469598103934665603ULL;
  std::string id = "ANPA";
  for (int round = 0; round < 2; ++round) {
    for (char c : arn) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    for (int i = 0; i < 9 && id.size() < 21; ++i) id.push_back(kBase32Alphabet[(h >> (i * 5)) & 31]);
  }
  return id;
}

}  // namespace terrarium::services::iam
