// The IAM policy engine (src/auth/policy*.cpp): a table of scenarios in the
// spirit of the examples of AWS's IAM User Guide (policy evaluation logic,
// condition operators, policy variables, same-account and cross-account
// requests, SCPs, RCPs, permissions boundaries, session policies), each row
// a request and the decision AWS documents for it; then the document checks
// IAM answers MalformedPolicyDocument with, and the engine's parts.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "auth/policy.hpp"
#include "auth/policy_conditions.hpp"
#include "auth/policy_evaluation.hpp"
#include "auth/request_context.hpp"

using namespace terrarium;
using namespace terrarium::auth;

namespace {

constexpr const char* kAccount = "111122223333";
constexpr const char* kOtherAccount = "444455556666";
constexpr const char* kBucket = "arn:aws:s3:::example-bucket";

// ----- who asks --------------------------------------------------------------

enum class Who {
  kAlice,             // IAM user, tags department=finance team=blue
  kCarol,             // IAM user with a path, department=engineering
  kRoot,              // the account's root user
  kDev,               // role session Dev/alice-session, role tag team=blue
  kDevOther,          // role session Dev/other-session
  kTaggedDev,         // role session Dev/tagged with session tag team=red
  kOrgAdmin,          // role session OrgAdmin/ops
  kInvoker,           // role session InvokerRole/s
  kFedUser,           // federated user dana (GetFederationToken)
  kBob,               // IAM user of the other account
  kOtherRoot,         // the other account's root user
  kAuditor,           // role session of the other account
  kAnonymous,
  kCloudTrail,        // service principal cloudtrail.amazonaws.com
  kConfigService,     // service principal config.amazonaws.com
  kLambdaService,     // service principal lambda.amazonaws.com
  kGitHub,            // web identity from GitHub's OIDC provider
  kCognito,           // web identity from Cognito
};

PrincipalFacts facts(Who who) {
  PrincipalFacts p;
  const std::string a = kAccount, o = kOtherAccount;
  auto session = [&](const std::string& account, const std::string& role, const std::string& name) {
    p.kind = PrincipalKind::kAssumedRole;
    p.account = account;
    p.arn = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + name;
    p.role_arn = "arn:aws:iam::" + account + ":role/" + role;
    p.user_id = "AROA" + role + "EXAMPLE:" + name;
  };
  switch (who) {
    case Who::kAlice:
      p.kind = PrincipalKind::kUser;
      p.account = a;
      p.arn = "arn:aws:iam::" + a + ":user/alice";
      p.user_id = "AIDAALICE00000000001";
      p.user_name = "alice";
      p.principal_tags = {{"department", "finance"}, {"team", "blue"}};
      break;
    case Who::kCarol:
      p.kind = PrincipalKind::kUser;
      p.account = a;
      p.arn = "arn:aws:iam::" + a + ":user/division/carol";
      p.user_id = "AIDACAROL00000000002";
      p.user_name = "carol";
      p.principal_tags = {{"department", "engineering"}};
      break;
    case Who::kRoot:
      p.kind = PrincipalKind::kRoot;
      p.account = a;
      p.arn = "arn:aws:iam::" + a + ":root";
      p.user_id = a;
      break;
    case Who::kDev:
      session(a, "Dev", "alice-session");
      p.principal_tags = {{"team", "blue"}};
      break;
    case Who::kDevOther: session(a, "Dev", "other-session"); break;
    case Who::kTaggedDev:
      session(a, "Dev", "tagged");
      p.principal_tags = {{"team", "blue"}};
      p.session_tags = {{"Team", "red"}};
      break;
    case Who::kOrgAdmin: session(a, "OrgAdmin", "ops"); break;
    case Who::kInvoker: session(a, "InvokerRole", "s"); break;
    case Who::kFedUser:
      p.kind = PrincipalKind::kFederatedUser;
      p.account = a;
      p.arn = "arn:aws:sts::" + a + ":federated-user/dana";
      p.user_id = a + ":dana";
      break;
    case Who::kBob:
      p.kind = PrincipalKind::kUser;
      p.account = o;
      p.arn = "arn:aws:iam::" + o + ":user/bob";
      p.user_id = "AIDABOB0000000000003";
      p.user_name = "bob";
      break;
    case Who::kOtherRoot:
      p.kind = PrincipalKind::kRoot;
      p.account = o;
      p.arn = "arn:aws:iam::" + o + ":root";
      p.user_id = o;
      break;
    case Who::kAuditor: session(o, "Auditor", "audit"); break;
    case Who::kAnonymous: p.kind = PrincipalKind::kAnonymous; break;
    case Who::kCloudTrail:
      p.kind = PrincipalKind::kService;
      p.service = "cloudtrail.amazonaws.com";
      break;
    case Who::kConfigService:
      p.kind = PrincipalKind::kService;
      p.service = "config.amazonaws.com";
      break;
    case Who::kLambdaService:
      p.kind = PrincipalKind::kService;
      p.service = "lambda.amazonaws.com";
      break;
    case Who::kGitHub:
      p.kind = PrincipalKind::kWebIdentity;
      p.federated_provider = "arn:aws:iam::" + a + ":oidc-provider/token.actions.githubusercontent.com";
      break;
    case Who::kCognito:
      p.kind = PrincipalKind::kWebIdentity;
      p.federated_provider = "cognito-identity.amazonaws.com";
      break;
  }
  return p;
}

// ----- the table -------------------------------------------------------------

using Keys = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct Req {
  Who who;
  std::string action;
  std::string resource;
  Keys keys;
};

Req req(Who who, std::string action, std::string resource = "*", Keys keys = {}) {
  return Req{who, std::move(action), std::move(resource), std::move(keys)};
}

struct Row {
  Req request;
  Decision expect;
};

struct Scenario {
  std::string name;
  std::vector<std::string> identity = {};
  std::string resource_policy = {};
  PolicyKind resource_kind = PolicyKind::kResource;
  std::string resource_account = {};
  std::string boundary = {};
  std::vector<std::string> session = {};
  std::vector<std::vector<std::string>> scps = {};
  bool scp_exempt = false;
  std::vector<std::vector<std::string>> rcps = {};
  std::vector<Row> rows = {};
};

constexpr Decision kAllowId{Outcome::kAllow, PolicyType::kIdentity};
constexpr Decision kAllowRes{Outcome::kAllow, PolicyType::kResource};
constexpr Decision kDenyId{Outcome::kExplicitDeny, PolicyType::kIdentity};
constexpr Decision kDenyRes{Outcome::kExplicitDeny, PolicyType::kResource};
constexpr Decision kDenyScp{Outcome::kExplicitDeny, PolicyType::kServiceControl};
constexpr Decision kDenyRcp{Outcome::kExplicitDeny, PolicyType::kResourceControl};
constexpr Decision kDenyBoundary{Outcome::kExplicitDeny, PolicyType::kPermissionsBoundary};
constexpr Decision kDenySession{Outcome::kExplicitDeny, PolicyType::kSession};
constexpr Decision kNoId{Outcome::kImplicitDeny, PolicyType::kIdentity};
constexpr Decision kNoRes{Outcome::kImplicitDeny, PolicyType::kResource};
constexpr Decision kNoScp{Outcome::kImplicitDeny, PolicyType::kServiceControl};
constexpr Decision kNoRcp{Outcome::kImplicitDeny, PolicyType::kResourceControl};
constexpr Decision kNoBoundary{Outcome::kImplicitDeny, PolicyType::kPermissionsBoundary};
constexpr Decision kNoSession{Outcome::kImplicitDeny, PolicyType::kSession};

// A 2012-10-17 document around a statement list.
std::string V(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":)" + statements + "}";
}

const std::string kFullAccess = V(R"([{"Effect":"Allow","Action":"*","Resource":"*"}])");
const std::string kRcpFullAccess =
    V(R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}])");

std::string obj(const std::string& key) { return std::string(kBucket) + "/" + key; }

std::vector<Scenario> scenarios() {
  const std::string A = kAccount;
  return {
      // ---------------------------------------------------------------- basics
      {.name = "no policy at all",
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kNoId},
                {req(Who::kRoot, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAnonymous, "s3:GetObject", obj("a")), kNoRes},
                {req(Who::kDev, "s3:GetObject", obj("a")), kNoId}}},
      {.name = "allow reading one bucket",
       .identity = {V(R"([{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],
                           "Resource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"]}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a.txt")), kAllowId},
                {req(Who::kAlice, "S3:GETOBJECT", obj("a.txt")), kAllowId},
                {req(Who::kAlice, "s3:PutObject", obj("a.txt")), kNoId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::other-bucket/a.txt"), kNoId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::EXAMPLE-BUCKET/a.txt"), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "*"), kNoId}}},
      {.name = "an explicit deny overrides an allow",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                          {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"},
                          {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret-bucket*"}])")},
       .rows = {{req(Who::kAlice, "s3:DeleteBucket", kBucket), kDenyId},
                {req(Who::kAlice, "s3:PutObject", obj("x")), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::secret-bucket/x"), kDenyId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::secret-bucket-2/x"), kDenyId},
                {req(Who::kAlice, "ec2:RunInstances", "*"), kNoId}}},
      {.name = "wildcards in actions, case-insensitive",
       .identity = {V(R"([{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*","iam:*AccessKey*",
                           "sqs:?eceiveMessage","dynamodb:*Item"],"Resource":"*"}])")},
       .rows = {{req(Who::kAlice, "s3:GetObjectAcl"), kAllowId},
                {req(Who::kAlice, "s3:getbucketpolicy"), kAllowId},
                {req(Who::kAlice, "s3:PutObject"), kNoId},
                {req(Who::kAlice, "ec2:DescribeInstances"), kAllowId},
                {req(Who::kAlice, "EC2:describeinstances"), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances"), kNoId},
                {req(Who::kAlice, "iam:CreateAccessKey"), kAllowId},
                {req(Who::kAlice, "iam:ListAccessKeys"), kAllowId},
                {req(Who::kAlice, "iam:CreateUser"), kNoId},
                {req(Who::kAlice, "sqs:ReceiveMessage"), kAllowId},
                {req(Who::kAlice, "sqs:ReceiveMessages"), kNoId},
                {req(Who::kAlice, "dynamodb:PutItem"), kAllowId},
                {req(Who::kAlice, "dynamodb:BatchWriteItem"), kAllowId},
                {req(Who::kAlice, "dynamodb:Query"), kNoId}}},
      {.name = "administrator access",
       .identity = {kFullAccess},
       .rows = {{req(Who::kAlice, "iam:CreateUser", "arn:aws:iam::111122223333:user/x"), kAllowId},
                {req(Who::kDev, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k"), kAllowId}}},
      {.name = "NotAction with Allow: everything but IAM",
       .identity = {V(R"([{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances"), kAllowId},
                {req(Who::kAlice, "iam:CreateUser"), kNoId},
                {req(Who::kAlice, "IAM:ListUsers"), kNoId}}},
      {.name = "NotAction with Deny: MFA required but for managing MFA",
       .identity = {kFullAccess,
                    V(R"([{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny",
                           "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice",
                                        "iam:ListMFADevices","iam:ListVirtualMFADevices",
                                        "iam:ResyncMFADevice","sts:GetSessionToken"],
                           "Resource":"*",
                           "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kDenyId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:MultiFactorAuthPresent", {"true"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:MultiFactorAuthPresent", {"false"}}}), kDenyId},
                {req(Who::kAlice, "iam:EnableMFADevice"), kAllowId},
                {req(Who::kAlice, "sts:GetSessionToken"), kAllowId},
                {req(Who::kAlice, "ec2:StopInstances", "*", {{"aws:MultiFactorAuthPresent", {"TRUE"}}}), kAllowId}}},
      {.name = "NotResource with Deny: only one bucket",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                          {"Effect":"Deny","Action":"s3:*",
                           "NotResource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"]}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("x")), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::other-bucket/x"), kDenyId},
                {req(Who::kAlice, "ec2:RunInstances"), kNoId}}},
      {.name = "wildcards in resources, case-sensitive, per ARN segment",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:GetObject",
                           "Resource":["arn:aws:s3:::logs-20??/*","arn:aws:s3:::data/*/public/*"]},
                          {"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::111122223333:role/app-*"},
                          {"Effect":"Allow","Action":"ec2:StartInstances",
                           "Resource":"arn:aws:ec2:*:111122223333:instance/*"}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::logs-2024/x"), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::logs-20245/x"), kNoId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::logs-2024"), kNoId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::data/a/public/f"), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::data/a/private/f"), kNoId},
                {req(Who::kAlice, "s3:GetObject", "arn:aws:s3:::data/x/public/y:with:colons"), kAllowId},
                {req(Who::kAlice, "iam:GetRole", "arn:aws:iam::111122223333:role/app-web"), kAllowId},
                {req(Who::kAlice, "iam:GetRole", "arn:aws:iam::111122223333:role/db"), kNoId},
                {req(Who::kAlice, "ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"), kAllowId},
                {req(Who::kAlice, "ec2:StartInstances", "arn:aws:ec2:us-east-1:999999999999:instance/i-1"), kNoId}}},
      {.name = "several identity policies are a union",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}])"),
                    V(R"([{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}])"),
                    V(R"([{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/protected/*"}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAlice, "s3:PutObject", obj("a")), kAllowId},
                {req(Who::kAlice, "s3:PutObject", obj("protected/a")), kDenyId},
                {req(Who::kAlice, "s3:DeleteObject", obj("a")), kNoId}}},
      {.name = "a single statement object, single strings",
       .identity = {R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sns:Publish",
                        "Resource":"arn:aws:sns:us-east-1:111122223333:alerts"}})"},
       .rows = {{req(Who::kAlice, "sns:Publish", "arn:aws:sns:us-east-1:111122223333:alerts"), kAllowId},
                {req(Who::kAlice, "sns:Publish", "arn:aws:sns:us-east-1:111122223333:other"), kNoId}}},

      // ----------------------------------------------------- condition operators
      {.name = "string operators",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
           "Condition":{"StringEquals":{"aws:PrincipalTag/department":["finance","audit"]}}},
          {"Effect":"Allow","Action":"s3:PutObject","Resource":"*",
           "Condition":{"StringNotEquals":{"aws:PrincipalTag/department":"finance"}}},
          {"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*",
           "Condition":{"StringEqualsIgnoreCase":{"aws:ResourceTag/Env":"Prod"}}},
          {"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*",
           "Condition":{"StringNotEqualsIgnoreCase":{"aws:ResourceTag/Env":"prod"}}},
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",
           "Condition":{"StringLike":{"s3:prefix":["home/*","shared/??/*"]}}},
          {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*",
           "Condition":{"StringNotLike":{"aws:ResourceTag/Owner":"admin-*"}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject"), kAllowId},
                {req(Who::kCarol, "s3:GetObject"), kNoId},
                {req(Who::kDevOther, "s3:GetObject"), kNoId},
                {req(Who::kAlice, "s3:PutObject"), kNoId},
                {req(Who::kCarol, "s3:PutObject"), kAllowId},
                {req(Who::kDevOther, "s3:PutObject"), kAllowId},
                {req(Who::kAlice, "ec2:StartInstances", "*", {{"aws:ResourceTag/Env", {"prod"}}}), kAllowId},
                {req(Who::kAlice, "ec2:StartInstances", "*", {{"aws:ResourceTag/Env", {"PROD"}}}), kAllowId},
                {req(Who::kAlice, "ec2:StartInstances", "*", {{"aws:ResourceTag/Env", {"dev"}}}), kNoId},
                {req(Who::kAlice, "ec2:StartInstances"), kNoId},
                {req(Who::kAlice, "ec2:StopInstances", "*", {{"aws:ResourceTag/Env", {"PROD"}}}), kNoId},
                {req(Who::kAlice, "ec2:StopInstances", "*", {{"aws:ResourceTag/Env", {"dev"}}}), kAllowId},
                {req(Who::kAlice, "ec2:StopInstances"), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"home/alice/x"}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"shared/ab/x"}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"shared/abc/x"}}}), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"Home/x"}}}), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket), kNoId},
                {req(Who::kAlice, "s3:DeleteObject", "*", {{"aws:ResourceTag/Owner", {"admin-1"}}}), kNoId},
                {req(Who::kAlice, "s3:DeleteObject", "*", {{"aws:ResourceTag/Owner", {"alice"}}}), kAllowId},
                {req(Who::kAlice, "s3:DeleteObject"), kAllowId}}},
      {.name = "numeric operators",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",
           "Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}},
          {"Effect":"Allow","Action":"ec2:CreateVolume","Resource":"*",
           "Condition":{"NumericLessThan":{"ec2:VolumeSize":100}}},
          {"Effect":"Allow","Action":"ec2:ModifyVolume","Resource":"*",
           "Condition":{"NumericGreaterThanEquals":{"ec2:VolumeIops":"3000"}}},
          {"Effect":"Allow","Action":"ec2:AttachVolume","Resource":"*",
           "Condition":{"NumericGreaterThan":{"ec2:VolumeSize":"500"}}},
          {"Effect":"Allow","Action":"ec2:DetachVolume","Resource":"*",
           "Condition":{"NumericEquals":{"ec2:VolumeSize":["8","16"]}}},
          {"Effect":"Allow","Action":"ec2:DeleteVolume","Resource":"*",
           "Condition":{"NumericNotEquals":{"ec2:VolumeSize":"8"}}}])")},
       .rows = {{req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"10"}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"5"}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"11"}}}), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"abc"}}}), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket), kNoId},
                {req(Who::kAlice, "ec2:CreateVolume", "*", {{"ec2:VolumeSize", {"99"}}}), kAllowId},
                {req(Who::kAlice, "ec2:CreateVolume", "*", {{"ec2:VolumeSize", {"100"}}}), kNoId},
                {req(Who::kAlice, "ec2:CreateVolume", "*", {{"ec2:VolumeSize", {"99.5"}}}), kAllowId},
                {req(Who::kAlice, "ec2:ModifyVolume", "*", {{"ec2:VolumeIops", {"3000"}}}), kAllowId},
                {req(Who::kAlice, "ec2:ModifyVolume", "*", {{"ec2:VolumeIops", {"2999"}}}), kNoId},
                {req(Who::kAlice, "ec2:AttachVolume", "*", {{"ec2:VolumeSize", {"501"}}}), kAllowId},
                {req(Who::kAlice, "ec2:AttachVolume", "*", {{"ec2:VolumeSize", {"500"}}}), kNoId},
                {req(Who::kAlice, "ec2:DetachVolume", "*", {{"ec2:VolumeSize", {"16"}}}), kAllowId},
                {req(Who::kAlice, "ec2:DetachVolume", "*", {{"ec2:VolumeSize", {"16.0"}}}), kAllowId},
                {req(Who::kAlice, "ec2:DetachVolume", "*", {{"ec2:VolumeSize", {"12"}}}), kNoId},
                {req(Who::kAlice, "ec2:DeleteVolume", "*", {{"ec2:VolumeSize", {"8"}}}), kNoId},
                {req(Who::kAlice, "ec2:DeleteVolume", "*", {{"ec2:VolumeSize", {"9"}}}), kAllowId},
                {req(Who::kAlice, "ec2:DeleteVolume"), kAllowId}}},
      {.name = "date operators",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
           "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"},
                        "DateLessThan":{"aws:CurrentTime":"2024-12-31T23:59:59Z"}}},
          {"Effect":"Allow","Action":"s3:PutObject","Resource":"*",
           "Condition":{"DateLessThanEquals":{"aws:TokenIssueTime":"2024-03-01"}}},
          {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*",
           "Condition":{"DateEquals":{"aws:CurrentTime":"2024-05-05T05:05:05Z"}}},
          {"Effect":"Allow","Action":"s3:PutObjectAcl","Resource":"*",
           "Condition":{"DateNotEquals":{"aws:CurrentTime":"2024-05-05T05:05:05Z"}}},
          {"Effect":"Allow","Action":"s3:GetObjectAcl","Resource":"*",
           "Condition":{"DateGreaterThanEquals":{"aws:EpochTime":"1700000000"}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"2024-06-01T12:00:00Z"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"2023-12-31T23:59:59Z"}}}), kNoId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"2025-01-01T00:00:00Z"}}}), kNoId},
                {req(Who::kAlice, "s3:GetObject"), kNoId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"1717243200"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"2024-01-01T01:00:00+02:00"}}}), kNoId},
                {req(Who::kDev, "s3:PutObject", "*", {{"aws:TokenIssueTime", {"2024-03-01T00:00:00Z"}}}), kAllowId},
                {req(Who::kDev, "s3:PutObject", "*", {{"aws:TokenIssueTime", {"2024-03-01T00:00:01Z"}}}), kNoId},
                {req(Who::kAlice, "s3:DeleteObject", "*", {{"aws:CurrentTime", {"2024-05-05T05:05:05Z"}}}), kAllowId},
                {req(Who::kAlice, "s3:DeleteObject", "*", {{"aws:CurrentTime", {"2024-05-05T05:05:05.000Z"}}}), kAllowId},
                {req(Who::kAlice, "s3:PutObjectAcl", "*", {{"aws:CurrentTime", {"2024-05-05T05:05:06Z"}}}), kAllowId},
                {req(Who::kAlice, "s3:PutObjectAcl", "*", {{"aws:CurrentTime", {"2024-05-05T05:05:05Z"}}}), kNoId},
                {req(Who::kAlice, "s3:PutObjectAcl"), kAllowId},
                {req(Who::kAlice, "s3:GetObjectAcl", "*", {{"aws:EpochTime", {"1700000000"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObjectAcl", "*", {{"aws:EpochTime", {"1699999999"}}}), kNoId}}},
      {.name = "Bool, BinaryEquals and Null",
       .identity = {V(R"([
          {"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"},
          {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}},
          {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
           "Condition":{"BinaryEquals":{"demo:Fingerprint":"QmluYXJ5VmFsdWU="}}},
          {"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*",
           "Condition":{"Null":{"aws:RequestTag/CostCenter":"true"}}},
          {"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*",
           "Condition":{"Null":{"aws:TokenIssueTime":"false"}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SecureTransport", {"true"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SecureTransport", {"false"}}}), kDenyId},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAlice, "kms:Decrypt", "*", {{"demo:Fingerprint", {"BinaryValue"}}}), kAllowId},
                {req(Who::kAlice, "kms:Decrypt", "*", {{"demo:Fingerprint", {"binaryvalue"}}}), kNoId},
                {req(Who::kAlice, "kms:Decrypt"), kNoId},
                {req(Who::kAlice, "ec2:RunInstances", "*", {{"aws:RequestTag/CostCenter", {"cc-1"}}}), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances"), kDenyId},
                {req(Who::kDev, "sts:GetCallerIdentity", "*", {{"aws:TokenIssueTime", {"2024-01-01T00:00:00Z"}}}), kAllowId},
                {req(Who::kAlice, "sts:GetCallerIdentity"), kNoId}}},
      {.name = "IpAddress and NotIpAddress, IPv4 and IPv6",
       .identity = {V(R"([
          {"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"},
          {"Effect":"Deny","Action":"s3:*","Resource":"*",
           "Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}}])"),
                    V(R"([{"Effect":"Allow","Action":"sqs:*","Resource":"*",
           "Condition":{"IpAddress":{"aws:SourceIp":["2001:DB8:1234::/48","10.0.0.1"]}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SourceIp", {"192.0.2.10"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SourceIp", {"203.0.113.255"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SourceIp", {"198.51.100.1"}}}), kDenyId},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kDenyId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SourceIp", {"2001:db8::1"}}}), kDenyId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceIp", {"2001:db8:1234:ffff::1"}}}), kAllowId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceIp", {"2001:db8:1235::1"}}}), kNoId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceIp", {"10.0.0.1"}}}), kAllowId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceIp", {"10.0.0.2"}}}), kNoId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceIp", {"not-an-ip"}}}), kNoId}}},
      {.name = "ARN operators",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"sns:Publish","Resource":"*",
           "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*-uploads"}}},
          {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*",
           "Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:sns:us-east-1:111122223333:alerts",
                                                      "arn:aws:sns:*:111122223333:ops"]}}},
          {"Effect":"Allow","Action":["lambda:*","kms:*"],"Resource":"*"},
          {"Effect":"Deny","Action":"lambda:InvokeFunction","Resource":"*",
           "Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Invoker*"}}},
          {"Effect":"Deny","Action":"kms:Decrypt","Resource":"*",
           "Condition":{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::secure"}}},
          {"Effect":"Allow","Action":"s3:PutObject","Resource":"*",
           "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}])")},
       .rows = {{req(Who::kAlice, "sns:Publish", "*", {{"aws:SourceArn", {"arn:aws:s3:::photo-uploads"}}}), kAllowId},
                {req(Who::kAlice, "sns:Publish", "*", {{"aws:SourceArn", {"arn:aws:s3:::photo-downloads"}}}), kNoId},
                {req(Who::kAlice, "sns:Publish"), kNoId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:alerts"}}}), kAllowId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceArn", {"arn:aws:sns:us-west-2:111122223333:alerts"}}}), kNoId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceArn", {"arn:aws:sns:eu-west-1:111122223333:ops"}}}), kAllowId},
                {req(Who::kDev, "lambda:InvokeFunction"), kDenyId},
                {req(Who::kInvoker, "lambda:InvokeFunction"), kAllowId},
                {req(Who::kAlice, "lambda:InvokeFunction"), kDenyId},
                {req(Who::kAlice, "kms:Decrypt", "*", {{"aws:SourceArn", {"arn:aws:s3:::secure"}}}), kAllowId},
                {req(Who::kAlice, "kms:Decrypt", "*", {{"aws:SourceArn", {"arn:aws:s3:::other"}}}), kDenyId},
                {req(Who::kAlice, "kms:Decrypt"), kDenyId},
                {req(Who::kAlice, "s3:PutObject", "*", {{"aws:SourceArn", {"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}), kAllowId},
                {req(Who::kAlice, "s3:PutObject", "*", {{"aws:SourceArn", {"arn:aws:cloudtrail:us-east-1:999999999999:trail/main"}}}), kNoId}}},
      {.name = "...IfExists",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*",
           "Condition":{"StringEqualsIfExists":{"ec2:InstanceType":["t3.micro","t3.small"]}}},
          {"Effect":"Allow","Action":"ec2:CreateVolume","Resource":"*",
           "Condition":{"NumericLessThanEqualsIfExists":{"ec2:VolumeSize":"100"}}},
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
           "Condition":{"DateLessThanIfExists":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}},
          {"Effect":"Allow","Action":"sns:Publish","Resource":"*",
           "Condition":{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}},
          {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*",
           "Condition":{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:ok-*"}}},
          {"Effect":"Allow","Action":"s3:PutObject","Resource":"*"},
          {"Effect":"Deny","Action":"s3:PutObject","Resource":"*",
           "Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"aws:kms"}}},
          {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
           "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}])")},
       .rows = {{req(Who::kAlice, "ec2:RunInstances", "*", {{"ec2:InstanceType", {"t3.micro"}}}), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances", "*", {{"ec2:InstanceType", {"m5.large"}}}), kNoId},
                {req(Who::kAlice, "ec2:RunInstances"), kAllowId},
                {req(Who::kAlice, "ec2:CreateVolume", "*", {{"ec2:VolumeSize", {"50"}}}), kAllowId},
                {req(Who::kAlice, "ec2:CreateVolume", "*", {{"ec2:VolumeSize", {"200"}}}), kNoId},
                {req(Who::kAlice, "ec2:CreateVolume"), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"2024-01-01T00:00:00Z"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:CurrentTime", {"2031-01-01T00:00:00Z"}}}), kNoId},
                {req(Who::kAlice, "s3:GetObject"), kAllowId},
                {req(Who::kAlice, "sns:Publish", "*", {{"aws:SourceIp", {"10.1.1.1"}}}), kAllowId},
                {req(Who::kAlice, "sns:Publish", "*", {{"aws:SourceIp", {"11.0.0.1"}}}), kNoId},
                {req(Who::kAlice, "sns:Publish"), kAllowId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:ok-1"}}}), kAllowId},
                {req(Who::kAlice, "sqs:SendMessage", "*", {{"aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:bad"}}}), kNoId},
                {req(Who::kAlice, "sqs:SendMessage"), kAllowId},
                {req(Who::kAlice, "s3:PutObject", "*", {{"s3:x-amz-server-side-encryption", {"aws:kms"}}}), kAllowId},
                {req(Who::kAlice, "s3:PutObject", "*", {{"s3:x-amz-server-side-encryption", {"AES256"}}}), kDenyId},
                {req(Who::kAlice, "s3:PutObject"), kDenyId},
                {req(Who::kAlice, "kms:Decrypt", "*", {{"aws:MultiFactorAuthPresent", {"true"}}}), kAllowId},
                {req(Who::kAlice, "kms:Decrypt", "*", {{"aws:MultiFactorAuthPresent", {"false"}}}), kNoId},
                {req(Who::kAlice, "kms:Decrypt"), kAllowId}}},
      {.name = "ForAllValues and ForAnyValue over multi-valued keys",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"iam:TagUser","Resource":"*",
           "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["Department","CostCenter"]}}},
          {"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*",
           "Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":"Owner"}}},
          {"Effect":"Allow","Action":"iam:UntagUser","Resource":"*"},
          {"Effect":"Deny","Action":"iam:UntagUser","Resource":"*",
           "Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":"Protected*"}}},
          {"Effect":"Allow","Action":"s3:PutObjectTagging","Resource":"*",
           "Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["proj-*","env"]}}},
          {"Effect":"Allow","Action":"ec2:DeleteTags","Resource":"*",
           "Condition":{"ForAllValues:StringNotEquals":{"aws:TagKeys":["Owner","Protected"]}}},
          {"Effect":"Allow","Action":"rds:AddTagsToResource","Resource":"*",
           "Condition":{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"Owner"}}},
          {"Effect":"Allow","Action":"iam:CreateRole","Resource":"*",
           "Condition":{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"Team"}}},
          {"Effect":"Allow","Action":"sqs:TagQueue","Resource":"*",
           "Condition":{"StringEquals":{"aws:TagKeys":"a"}}},
          {"Effect":"Allow","Action":"sqs:UntagQueue","Resource":"*",
           "Condition":{"StringNotEquals":{"aws:TagKeys":"a"}}}])")},
       .rows = {{req(Who::kAlice, "iam:TagUser", "*", {{"aws:TagKeys", {"Department"}}}), kAllowId},
                {req(Who::kAlice, "iam:TagUser", "*", {{"aws:TagKeys", {"Department", "CostCenter"}}}), kAllowId},
                {req(Who::kAlice, "iam:TagUser", "*", {{"aws:TagKeys", {"Department", "Owner"}}}), kNoId},
                {req(Who::kAlice, "iam:TagUser"), kAllowId},
                {req(Who::kAlice, "iam:TagUser", "*", {{"aws:TagKeys", {}}}), kAllowId},
                {req(Who::kAlice, "iam:TagUser", "*", {{"aws:TagKeys", {"department"}}}), kNoId},
                {req(Who::kAlice, "ec2:CreateTags", "*", {{"aws:TagKeys", {"Owner"}}}), kAllowId},
                {req(Who::kAlice, "ec2:CreateTags", "*", {{"aws:TagKeys", {"Project", "Owner"}}}), kAllowId},
                {req(Who::kAlice, "ec2:CreateTags", "*", {{"aws:TagKeys", {"Project"}}}), kNoId},
                {req(Who::kAlice, "ec2:CreateTags"), kNoId},
                {req(Who::kAlice, "iam:UntagUser", "*", {{"aws:TagKeys", {"Name", "ProtectedTag"}}}), kDenyId},
                {req(Who::kAlice, "iam:UntagUser", "*", {{"aws:TagKeys", {"Other"}}}), kAllowId},
                {req(Who::kAlice, "iam:UntagUser"), kAllowId},
                {req(Who::kAlice, "s3:PutObjectTagging", "*", {{"aws:TagKeys", {"proj-a", "env"}}}), kAllowId},
                {req(Who::kAlice, "s3:PutObjectTagging", "*", {{"aws:TagKeys", {"proj-a", "owner"}}}), kNoId},
                {req(Who::kAlice, "ec2:DeleteTags", "*", {{"aws:TagKeys", {"Name"}}}), kAllowId},
                {req(Who::kAlice, "ec2:DeleteTags", "*", {{"aws:TagKeys", {"Name", "Owner"}}}), kNoId},
                {req(Who::kAlice, "ec2:DeleteTags"), kAllowId},
                {req(Who::kAlice, "rds:AddTagsToResource", "*", {{"aws:TagKeys", {"Owner"}}}), kNoId},
                {req(Who::kAlice, "rds:AddTagsToResource", "*", {{"aws:TagKeys", {"Owner", "Env"}}}), kAllowId},
                {req(Who::kAlice, "rds:AddTagsToResource"), kNoId},
                {req(Who::kAlice, "iam:CreateRole"), kNoId},
                {req(Who::kAlice, "iam:CreateRole", "*", {{"aws:TagKeys", {"Team"}}}), kAllowId},
                {req(Who::kAlice, "sqs:TagQueue", "*", {{"aws:TagKeys", {"a", "b"}}}), kAllowId},
                {req(Who::kAlice, "sqs:TagQueue", "*", {{"aws:TagKeys", {"b"}}}), kNoId},
                {req(Who::kAlice, "sqs:UntagQueue", "*", {{"aws:TagKeys", {"a", "b"}}}), kNoId},
                {req(Who::kAlice, "sqs:UntagQueue", "*", {{"aws:TagKeys", {"b", "c"}}}), kAllowId}}},
      {.name = "keys AND'ed, values OR'ed, operators AND'ed; key names case-insensitive",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
           "Condition":{"StringEquals":{"aws:PrincipalTag/department":"finance",
                                        "aws:RequestedRegion":["us-east-1","us-west-2"]},
                        "Bool":{"aws:SecureTransport":"true"}}},
          {"Effect":"Allow","Action":"s3:PutObject","Resource":"*",
           "Condition":{"StringEquals":{"AWS:REQUESTEDREGION":"us-east-1"}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", "*", {{"aws:RequestedRegion", {"us-west-2"}}, {"aws:SecureTransport", {"true"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:RequestedRegion", {"eu-west-1"}}, {"aws:SecureTransport", {"true"}}}), kNoId},
                {req(Who::kAlice, "s3:GetObject", "*", {{"aws:RequestedRegion", {"us-east-1"}}, {"aws:SecureTransport", {"false"}}}), kNoId},
                {req(Who::kCarol, "s3:GetObject", "*", {{"aws:RequestedRegion", {"us-east-1"}}, {"aws:SecureTransport", {"true"}}}), kNoId},
                {req(Who::kAlice, "s3:PutObject", "*", {{"aws:RequestedRegion", {"us-east-1"}}}), kAllowId},
                {req(Who::kAlice, "s3:PutObject", "*", {{"aws:RequestedRegion", {"US-EAST-1"}}}), kNoId}}},

      // ----------------------------------------------------------- variables
      {.name = "policy variables",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example-bucket",
           "Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}},
          {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
           "Resource":"arn:aws:s3:::example-bucket/home/${aws:username}/*"},
          {"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::*:user/${aws:username}"},
          {"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*",
           "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},
          {"Effect":"Allow","Action":"dynamodb:GetItem",
           "Resource":"arn:aws:dynamodb:*:111122223333:table/${aws:PrincipalTag/team, 'shared'}"},
          {"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"arn:aws:sqs:*:*:${aws:userid}-queue"},
          {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::example-bucket/${*}/${?}/${$}"}])")},
       .rows = {{req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"home/alice/docs"}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"home/bob/"}}}), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {""}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"home/"}}}), kAllowId},
                {req(Who::kAlice, "s3:ListBucket", kBucket), kNoId},
                {req(Who::kAlice, "s3:GetObject", obj("home/alice/a.txt")), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("home/carol/a.txt")), kNoId},
                {req(Who::kCarol, "s3:PutObject", obj("home/carol/x")), kAllowId},
                {req(Who::kDev, "s3:GetObject", obj("home/alice/x")), kNoId},
                {req(Who::kAlice, "iam:ChangePassword", "arn:aws:iam::111122223333:user/alice"), kAllowId},
                {req(Who::kCarol, "iam:ChangePassword", "arn:aws:iam::111122223333:user/division/carol"), kNoId},
                {req(Who::kAlice, "iam:ChangePassword", "arn:aws:iam::111122223333:user/carol"), kNoId},
                {req(Who::kAlice, "ec2:StartInstances", "*", {{"aws:ResourceTag/team", {"blue"}}}), kAllowId},
                {req(Who::kAlice, "ec2:StartInstances", "*", {{"aws:ResourceTag/team", {"red"}}}), kNoId},
                {req(Who::kAlice, "ec2:StartInstances"), kNoId},
                {req(Who::kDev, "ec2:StartInstances", "*", {{"aws:ResourceTag/team", {"blue"}}}), kAllowId},
                {req(Who::kCarol, "ec2:StartInstances", "*", {{"aws:ResourceTag/team", {"blue"}}}), kNoId},
                {req(Who::kTaggedDev, "ec2:StartInstances", "*", {{"aws:ResourceTag/team", {"red"}}}), kAllowId},
                {req(Who::kTaggedDev, "ec2:StartInstances", "*", {{"aws:ResourceTag/team", {"blue"}}}), kNoId},
                {req(Who::kAlice, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/blue"), kAllowId},
                {req(Who::kAlice, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/shared"), kNoId},
                {req(Who::kCarol, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/shared"), kAllowId},
                {req(Who::kCarol, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/blue"), kNoId},
                {req(Who::kAlice, "sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:111122223333:AIDAALICE00000000001-queue"), kAllowId},
                {req(Who::kAlice, "sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:111122223333:AIDACAROL00000000002-queue"), kNoId},
                {req(Who::kAlice, "s3:DeleteObject", obj("*/?/$")), kAllowId},
                {req(Who::kAlice, "s3:DeleteObject", obj("a/b/$")), kNoId}}},
      {.name = "Version 2008-10-17 takes variables literally",
       .identity = {R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
                        "Resource":"arn:aws:s3:::example-bucket/${aws:username}/*"}]})"},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("alice/x")), kNoId},
                {req(Who::kAlice, "s3:GetObject", obj("${aws:username}/x")), kAllowId}}},
      {.name = "no Version takes variables literally",
       .identity = {R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject",
                        "Resource":"arn:aws:s3:::example-bucket/${aws:username}/*"}]})"},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("alice/x")), kNoId},
                {req(Who::kAlice, "s3:GetObject", obj("${aws:username}/x")), kAllowId}}},

      // ------------------------------------------- resource-based, same account
      {.name = "bucket policy names a user, the account, and denies another user",
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
           "Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"111122223333"},
           "Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::111122223333:user/division/carol"]},
           "Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowRes},
                {req(Who::kAlice, "s3:PutObject", obj("a")), kNoId},
                {req(Who::kCarol, "s3:GetObject", obj("a")), kDenyRes},
                {req(Who::kCarol, "s3:PutObject", obj("a")), kDenyRes},
                {req(Who::kRoot, "s3:PutObject", obj("a")), kAllowRes},
                {req(Who::kBob, "s3:GetObject", obj("a")), kNoId}}},
      {.name = "bucket policy and identity policy are a union within the account",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
           "Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/division/carol"},
           "Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kAlice, "s3:PutObject", obj("a")), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kAllowRes},
                {req(Who::kCarol, "s3:GetObject", obj("a")), kDenyRes},
                {req(Who::kBob, "s3:GetObject", obj("a")), kNoRes},
                {req(Who::kDev, "s3:PutObject", obj("a")), kAllowId}}},
      {.name = "role and role-session principals, no other policy",
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Dev"},
           "Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Dev/alice-session"},
           "Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
           "Action":"s3:DeleteObject","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kDev, "s3:GetObject", obj("a")), kAllowRes},
                {req(Who::kDev, "s3:PutObject", obj("a")), kAllowRes},
                {req(Who::kDevOther, "s3:PutObject", obj("a")), kNoId},
                {req(Who::kOrgAdmin, "s3:GetObject", obj("a")), kNoId}}},
      {.name = "a permissions boundary limits a grant to the role, not to the session or the user",
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Dev"},
           "Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Dev/alice-session"},
           "Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
           "Action":"s3:DeleteObject","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .boundary = V(R"([{"Effect":"Allow","Action":"ec2:*","Resource":"*"}])"),
       .rows = {{req(Who::kDev, "s3:GetObject", obj("a")), kNoBoundary},
                {req(Who::kDev, "s3:PutObject", obj("a")), kAllowRes},
                {req(Who::kAlice, "s3:DeleteObject", obj("a")), kAllowRes},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kNoId}}},
      {.name = "a session policy limits a grant to the role, not to the session",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Dev"},
           "Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Dev/alice-session"},
           "Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .session = {V(R"([{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}])")},
       .rows = {{req(Who::kDev, "s3:GetObject", obj("a")), kNoSession},
                {req(Who::kDev, "s3:PutObject", obj("a")), kAllowRes},
                {req(Who::kDev, "s3:ListBucket", kBucket), kAllowId},
                {req(Who::kDev, "s3:DeleteObject", obj("a")), kNoSession}}},
      {.name = "public read with Principal * and a source IP condition",
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
           "Resource":"arn:aws:s3:::example-bucket/public/*"},
          {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",
           "Resource":"arn:aws:s3:::example-bucket/vpn/*",
           "Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}])"),
       .resource_account = A,
       .rows = {{req(Who::kAnonymous, "s3:GetObject", obj("public/x")), kAllowRes},
                {req(Who::kAnonymous, "s3:GetObject", obj("private/x")), kNoRes},
                {req(Who::kAlice, "s3:GetObject", obj("public/x")), kAllowRes},
                {req(Who::kBob, "s3:GetObject", obj("public/x")), kNoId},
                {req(Who::kAnonymous, "s3:GetObject", obj("vpn/x"), {{"aws:SourceIp", {"203.0.113.9"}}}), kAllowRes},
                {req(Who::kAnonymous, "s3:GetObject", obj("vpn/x"), {{"aws:SourceIp", {"198.51.100.1"}}}), kNoRes},
                {req(Who::kCloudTrail, "s3:GetObject", obj("public/x")), kAllowRes}}},
      {.name = "a service principal writing logs (CloudTrail bucket policy)",
       .identity = {},
       .resource_policy = V(R"([
          {"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
           "Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::example-bucket"},
          {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
           "Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/AWSLogs/111122223333/*",
           "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control",
                                        "aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}])"),
       .resource_account = A,
       .rows = {{req(Who::kCloudTrail, "s3:GetBucketAcl", kBucket), kAllowRes},
                {req(Who::kCloudTrail, "s3:PutObject", obj("AWSLogs/111122223333/x.gz"),
                     {{"s3:x-amz-acl", {"bucket-owner-full-control"}},
                      {"aws:SourceArn", {"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}), kAllowRes},
                {req(Who::kCloudTrail, "s3:PutObject", obj("AWSLogs/111122223333/x.gz"),
                     {{"s3:x-amz-acl", {"bucket-owner-full-control"}},
                      {"aws:SourceArn", {"arn:aws:cloudtrail:us-east-1:999999999999:trail/main"}}}), kNoRes},
                {req(Who::kCloudTrail, "s3:PutObject", obj("AWSLogs/111122223333/x.gz"),
                     {{"aws:SourceArn", {"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}), kNoRes},
                {req(Who::kConfigService, "s3:GetBucketAcl", kBucket), kNoRes},
                {req(Who::kAlice, "s3:GetBucketAcl", kBucket), kNoId}}},
      {.name = "Deny with NotPrincipal spares only principals listed with their account",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([{"Effect":"Deny","NotPrincipal":{"AWS":[
            "arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]},
          "Action":"s3:*","Resource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"]}])"),
       .resource_account = A,
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kCarol, "s3:GetObject", obj("a")), kDenyRes},
                {req(Who::kRoot, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kDev, "s3:GetObject", obj("a")), kDenyRes},
                {req(Who::kAnonymous, "s3:GetObject", obj("a")), kDenyRes}}},
      {.name = "Deny with NotPrincipal that forgets the account",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
          "Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kDenyRes}}},
      {.name = "Deny with NotPrincipal for a role session lists session, role and account",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([{"Effect":"Deny","NotPrincipal":{"AWS":[
            "arn:aws:sts::111122223333:assumed-role/Dev/alice-session",
            "arn:aws:iam::111122223333:role/Dev","arn:aws:iam::111122223333:root"]},
          "Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kDev, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kDevOther, "s3:GetObject", obj("a")), kDenyRes}}},
      {.name = "the root user: resource policies can still deny it",
       .resource_policy = V(R"([{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
          "Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::example-bucket"}])"),
       .resource_account = A,
       .rows = {{req(Who::kRoot, "s3:DeleteBucket", kBucket), kDenyRes},
                {req(Who::kRoot, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAlice, "s3:DeleteBucket", kBucket), kDenyRes},
                {req(Who::kOtherRoot, "s3:GetObject", obj("a")), kNoRes}}},

      // ------------------------------------------------------------ cross-account
      {.name = "cross-account: both the identity policy and the bucket policy must allow",
       .identity = {V(R"([{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"*"}])")},
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["s3:GetObject","s3:DeleteObject"],
           "Resource":"arn:aws:s3:::example-bucket/*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/bob"},"Action":"s3:ListBucket",
           "Resource":"arn:aws:s3:::example-bucket"},
          {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:DeleteObject",
           "Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kBob, "s3:GetObject", obj("a")), kAllowRes},
                {req(Who::kBob, "s3:PutObject", obj("a")), kNoRes},
                {req(Who::kBob, "s3:ListBucket", kBucket), kNoId},
                {req(Who::kBob, "s3:DeleteObject", obj("a")), kDenyRes},
                {req(Who::kOtherRoot, "s3:GetObject", obj("a")), kAllowRes},
                {req(Who::kAuditor, "s3:GetObject", obj("a")), kAllowRes}}},
      {.name = "cross-account: no identity policy",
       .resource_policy = V(R"([{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:user/bob","444455556666"]},
          "Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rows = {{req(Who::kBob, "s3:GetObject", obj("a")), kNoId},
                {req(Who::kOtherRoot, "s3:GetObject", obj("a")), kAllowRes}}},
      {.name = "cross-account: no resource policy",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_account = A,
       .rows = {{req(Who::kBob, "s3:GetObject", obj("a")), kNoRes},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId}}},
      {.name = "cross-account: aws:PrincipalOrgID",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
          "Resource":"arn:aws:s3:::example-bucket/*",
          "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}])"),
       .resource_account = A,
       .rows = {{req(Who::kBob, "s3:GetObject", obj("a"), {{"aws:PrincipalOrgID", {"o-abc123"}}}), kAllowRes},
                {req(Who::kBob, "s3:GetObject", obj("a"), {{"aws:PrincipalOrgID", {"o-zzz999"}}}), kNoRes},
                {req(Who::kBob, "s3:GetObject", obj("a")), kNoRes},
                {req(Who::kAnonymous, "s3:GetObject", obj("a")), kNoRes}}},

      // ---------------------------------------------------------- trust policies
      {.name = "trust policy: another account with an external id",
       .identity = {V(R"([{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/Deploy"}])")},
       .resource_policy = V(R"([{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},
          "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-42"}}}])"),
       .resource_kind = PolicyKind::kTrust,
       .resource_account = A,
       .rows = {{req(Who::kBob, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Deploy", {{"sts:ExternalId", {"ext-42"}}}), kAllowRes},
                {req(Who::kBob, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Deploy"), kNoRes},
                {req(Who::kBob, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Deploy", {{"sts:ExternalId", {"ext-43"}}}), kNoRes},
                {req(Who::kBob, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Other", {{"sts:ExternalId", {"ext-42"}}}), kNoId},
                {req(Who::kAlice, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Deploy", {{"sts:ExternalId", {"ext-42"}}}), kNoRes}}},
      {.name = "trust policy: a user directly, or the account with MFA",
       .resource_policy = V(R"([
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
           "Action":["sts:AssumeRole","sts:TagSession"]},
          {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole",
           "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}])"),
       .resource_kind = PolicyKind::kTrust,
       .resource_account = A,
       .rows = {{req(Who::kAlice, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Admin"), kAllowRes},
                {req(Who::kCarol, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Admin", {{"aws:MultiFactorAuthPresent", {"true"}}}), kNoId},
                {req(Who::kCarol, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Admin", {{"aws:MultiFactorAuthPresent", {"false"}}}), kNoRes},
                {req(Who::kAlice, "sts:TagSession", "arn:aws:iam::111122223333:role/Admin"), kAllowRes},
                {req(Who::kBob, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Admin"), kNoId}}},
      {.name = "trust policy: GitHub's OIDC provider",
       .resource_policy = V(R"([{"Effect":"Allow",
          "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
          "Action":"sts:AssumeRoleWithWebIdentity",
          "Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
                       "StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/*:ref:refs/heads/main"}}}])"),
       .resource_kind = PolicyKind::kTrust,
       .resource_account = A,
       .rows = {{req(Who::kGitHub, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111122223333:role/CI",
                     {{"token.actions.githubusercontent.com:aud", {"sts.amazonaws.com"}},
                      {"token.actions.githubusercontent.com:sub", {"repo:example-org/app:ref:refs/heads/main"}}}), kAllowRes},
                {req(Who::kGitHub, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111122223333:role/CI",
                     {{"token.actions.githubusercontent.com:aud", {"sts.amazonaws.com"}},
                      {"token.actions.githubusercontent.com:sub", {"repo:example-org/app:ref:refs/heads/feature"}}}), kNoRes},
                {req(Who::kGitHub, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111122223333:role/CI",
                     {{"token.actions.githubusercontent.com:sub", {"repo:example-org/app:ref:refs/heads/main"}}}), kNoRes},
                {req(Who::kCognito, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111122223333:role/CI",
                     {{"token.actions.githubusercontent.com:aud", {"sts.amazonaws.com"}},
                      {"token.actions.githubusercontent.com:sub", {"repo:example-org/app:ref:refs/heads/main"}}}), kNoRes}}},
      {.name = "trust policy: service principals",
       .resource_policy = V(R"([{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},
          "Action":"sts:AssumeRole"}])"),
       .resource_kind = PolicyKind::kTrust,
       .resource_account = A,
       .rows = {{req(Who::kLambdaService, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Fn"), kAllowRes},
                {req(Who::kCloudTrail, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Fn"), kNoRes}}},

      // -------------------------------------------------------------------- SCPs
      {.name = "SCP: deny outside approved regions (global services exempt)",
       .identity = {kFullAccess},
       .scps = {{kFullAccess},
                {kFullAccess,
                 V(R"([{"Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*","support:*"],"Resource":"*",
                        "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}])")},
                {kFullAccess}},
       .rows = {{req(Who::kAlice, "ec2:RunInstances", "*", {{"aws:RequestedRegion", {"us-east-1"}}}), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances", "*", {{"aws:RequestedRegion", {"ap-south-1"}}}), kDenyScp},
                {req(Who::kAlice, "iam:CreateUser", "*", {{"aws:RequestedRegion", {"us-east-1"}}}), kAllowId},
                {req(Who::kAlice, "iam:CreateUser", "*", {{"aws:RequestedRegion", {"ap-south-1"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kDenyScp}}},
      {.name = "SCP: an allow list at an OU",
       .identity = {kFullAccess},
       .scps = {{kFullAccess},
                {V(R"([{"Effect":"Allow","Action":["s3:*","ec2:*","cloudwatch:*"],"Resource":"*"}])")},
                {kFullAccess}},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances"), kAllowId},
                {req(Who::kAlice, "iam:CreateUser"), kNoScp},
                {req(Who::kRoot, "iam:CreateUser"), kNoScp}}},
      {.name = "SCP: every level must allow",
       .identity = {kFullAccess},
       .scps = {{kFullAccess},
                {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
                {V(R"([{"Effect":"Allow","Action":"ec2:*","Resource":"*"}])")}},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kNoScp},
                {req(Who::kAlice, "ec2:RunInstances"), kNoScp}}},
      {.name = "SCP: an OU with a deny but no allow blocks everything",
       .identity = {kFullAccess},
       .scps = {{kFullAccess},
                {V(R"([{"Effect":"Deny","Action":"ec2:*","Resource":"*"}])")}},
       .rows = {{req(Who::kAlice, "ec2:RunInstances"), kDenyScp},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kNoScp}}},
      {.name = "SCP: the management account is exempt",
       .identity = {kFullAccess},
       .scps = {{kFullAccess},
                {V(R"([{"Effect":"Deny","Action":"*","Resource":"*"}])")}},
       .scp_exempt = true,
       .rows = {{req(Who::kAlice, "ec2:RunInstances"), kAllowId},
                {req(Who::kRoot, "iam:CreateUser"), kAllowId}}},
      {.name = "SCP: deny IAM except to an admin role",
       .identity = {kFullAccess},
       .scps = {{kFullAccess, V(R"([{"Effect":"Deny","Action":"iam:*","Resource":"*",
                                     "Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/OrgAdmin"}}}])")}},
       .rows = {{req(Who::kAlice, "iam:CreateUser"), kDenyScp},
                {req(Who::kOrgAdmin, "iam:CreateUser"), kAllowId},
                {req(Who::kRoot, "iam:CreateUser"), kDenyScp}}},
      {.name = "SCP: it also bounds what a resource policy grants",
       .resource_policy = V(R"([{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
          "Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .scps = {{V(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}])")}},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowRes},
                {req(Who::kAlice, "s3:PutObject", obj("a")), kNoScp}}},
      {.name = "SCP: protect the organization",
       .identity = {kFullAccess},
       .scps = {{kFullAccess, V(R"([{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}])")}},
       .rows = {{req(Who::kAlice, "organizations:LeaveOrganization"), kDenyScp},
                {req(Who::kAlice, "organizations:DescribeOrganization"), kAllowId}}},
      {.name = "SCP: require a tag on new instances",
       .identity = {kFullAccess},
       .scps = {{kFullAccess, V(R"([{"Effect":"Deny","Action":"ec2:RunInstances",
           "Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"Null":{"aws:RequestTag/Project":"true"}}}])")}},
       .rows = {{req(Who::kAlice, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/*",
                     {{"aws:RequestTag/Project", {"apollo"}}}), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/*"), kDenyScp}}},
      {.name = "SCP: deny the root user of member accounts",
       .identity = {kFullAccess},
       .scps = {{kFullAccess, V(R"([{"Effect":"Deny","Action":"*","Resource":"*",
           "Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}])")}},
       .rows = {{req(Who::kRoot, "s3:GetObject", obj("a")), kDenyScp},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId}}},
      {.name = "SCP: does not apply to service principals",
       .resource_policy = V(R"([{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
          "Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .scps = {{V(R"([{"Effect":"Deny","Action":"*","Resource":"*"}])")}},
       .rows = {{req(Who::kCloudTrail, "s3:PutObject", obj("a")), kAllowRes}}},

      // ------------------------------------------------------ permissions boundary
      {.name = "permissions boundary: the intersection with identity policies",
       .identity = {V(R"([{"Effect":"Allow","Action":["iam:*","s3:*","ec2:*"],"Resource":"*"}])")},
       .boundary = V(R"([{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:Describe*"],"Resource":"*"}])"),
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kAlice, "iam:CreateUser"), kNoBoundary},
                {req(Who::kAlice, "ec2:DescribeInstances"), kAllowId},
                {req(Who::kAlice, "ec2:RunInstances"), kNoBoundary},
                {req(Who::kAlice, "cloudwatch:PutMetricData"), kNoId}}},
      {.name = "permissions boundary: an explicit deny in it",
       .identity = {kFullAccess},
       .boundary = V(R"([{"Effect":"Allow","Action":"*","Resource":"*"},
          {"Effect":"Deny","Action":["iam:DeleteUserPermissionsBoundary","iam:DeleteRolePermissionsBoundary"],"Resource":"*"}])"),
       .rows = {{req(Who::kAlice, "iam:DeleteUserPermissionsBoundary"), kDenyBoundary},
                {req(Who::kAlice, "iam:CreateUser"), kAllowId}}},
      {.name = "permissions boundary: delegated user creation must attach the boundary",
       .identity = {V(R"([{"Effect":"Allow","Action":["iam:CreateUser","iam:PutUserPermissionsBoundary"],"Resource":"*",
          "Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::111122223333:policy/DevBoundary"}}}])")},
       .boundary = V(R"([{"Effect":"Allow","Action":"iam:*","Resource":"*"}])"),
       .rows = {{req(Who::kAlice, "iam:CreateUser", "*", {{"iam:PermissionsBoundary", {"arn:aws:iam::111122223333:policy/DevBoundary"}}}), kAllowId},
                {req(Who::kAlice, "iam:CreateUser", "*", {{"iam:PermissionsBoundary", {"arn:aws:iam::111122223333:policy/Other"}}}), kNoId},
                {req(Who::kAlice, "iam:CreateUser"), kNoId}}},
      {.name = "permissions boundary: not for the root user",
       .boundary = V(R"([{"Effect":"Allow","Action":"ec2:*","Resource":"*"}])"),
       .rows = {{req(Who::kRoot, "s3:GetObject", obj("a")), kAllowId}}},
      {.name = "permissions boundary: on a role",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .boundary = V(R"([{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}])"),
       .rows = {{req(Who::kDev, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kDev, "s3:PutObject", obj("a")), kNoBoundary}}},

      // ---------------------------------------------------------- session policies
      {.name = "session policy: the intersection with the role's policies",
       .identity = {V(R"([{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}])")},
       .session = {V(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}])")},
       .rows = {{req(Who::kDev, "s3:GetObject", obj("x")), kAllowId},
                {req(Who::kDev, "s3:GetObject", "arn:aws:s3:::other-bucket/x"), kNoSession},
                {req(Who::kDev, "ec2:RunInstances"), kNoSession},
                {req(Who::kDev, "iam:CreateUser"), kNoId}}},
      {.name = "session policies: inline and managed are a union",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .session = {V(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}])"),
                   V(R"([{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}])")},
       .rows = {{req(Who::kDev, "s3:GetObject", obj("x")), kAllowId},
                {req(Who::kDev, "s3:PutObject", obj("x")), kAllowId},
                {req(Who::kDev, "s3:DeleteObject", obj("x")), kNoSession}}},
      {.name = "session policy: an explicit deny in it",
       .identity = {kFullAccess},
       .session = {V(R"([{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}])")},
       .rows = {{req(Who::kDev, "s3:DeleteBucket", kBucket), kDenySession},
                {req(Who::kDev, "s3:GetObject", obj("x")), kAllowId}}},
      {.name = "session policy: a federated user (GetFederationToken)",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .session = {V(R"([{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}])")},
       .rows = {{req(Who::kFedUser, "s3:ListBucket", kBucket), kAllowId},
                {req(Who::kFedUser, "s3:GetObject", obj("x")), kNoSession}}},

      // ------------------------------------------------ principal condition keys
      {.name = "principal condition keys",
       .identity = {V(R"([
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"User"}}},
          {"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}},
          {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AROA*:alice-session"}}},
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"Bool":{"aws:PrincipalIsAWSService":"false"}}},
          {"Effect":"Allow","Action":"s3:GetBucketPolicy","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice"}}},
          {"Effect":"Allow","Action":"s3:GetBucketTagging","Resource":"*",
           "Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Dev"}}}])")},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kAllowId},
                {req(Who::kDev, "s3:GetObject", obj("a")), kNoId},
                {req(Who::kAlice, "s3:PutObject", obj("a")), kAllowId},
                {req(Who::kDev, "s3:DeleteObject", obj("a")), kAllowId},
                {req(Who::kAlice, "s3:DeleteObject", obj("a")), kNoId},
                {req(Who::kAlice, "s3:ListBucket", kBucket), kAllowId},
                {req(Who::kAlice, "s3:GetBucketPolicy", kBucket), kAllowId},
                {req(Who::kCarol, "s3:GetBucketPolicy", kBucket), kNoId},
                {req(Who::kDev, "s3:GetBucketTagging", kBucket), kAllowId},
                {req(Who::kAlice, "s3:GetBucketTagging", kBucket), kNoId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:PrincipalType", {"AssumedRole"}}}), kNoId}}},

      // -------------------------------------------------------------------- RCPs
      {.name = "RCP: enforce TLS on every request to S3",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .rcps = {{kRcpFullAccess, V(R"([{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
           "Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}])")}},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SecureTransport", {"true"}}}), kAllowId},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:SecureTransport", {"false"}}}), kDenyRcp},
                {req(Who::kAlice, "s3:GetObject", obj("a")), kDenyRcp}}},
      {.name = "RCP: only principals of the organization",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .resource_policy = V(R"([{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject",
          "Resource":"arn:aws:s3:::example-bucket/*"}])"),
       .resource_account = A,
       .rcps = {{kRcpFullAccess, V(R"([{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
           "Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc123"},
                        "BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}])")}},
       .rows = {{req(Who::kBob, "s3:GetObject", obj("a"), {{"aws:PrincipalOrgID", {"o-abc123"}}}), kAllowRes},
                {req(Who::kBob, "s3:GetObject", obj("a"), {{"aws:PrincipalOrgID", {"o-other"}}}), kDenyRcp},
                {req(Who::kAlice, "s3:GetObject", obj("a"), {{"aws:PrincipalOrgID", {"o-abc123"}}}), kAllowId}}},
      {.name = "RCP: a level that allows nothing",
       .identity = {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])")},
       .rcps = {{kRcpFullAccess}, {V(R"([{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"}])")}},
       .rows = {{req(Who::kAlice, "s3:GetObject", obj("a")), kNoRcp}}},
  };
}

std::string describe(const Decision& d) {
  const char* outcome = d.outcome == Outcome::kAllow          ? "Allow"
                        : d.outcome == Outcome::kExplicitDeny ? "ExplicitDeny"
                                                              : "ImplicitDeny";
  return std::string(outcome) + "(" + std::string(policy_type_name(d.policy_type)) + ")";
}

PolicyPtr compile_or_null(const std::string& json, PolicyKind kind) {
  if (json.empty()) return nullptr;
  return Policy::compile_shared(json, kind);
}

std::vector<PolicyPtr> compile_all(const std::vector<std::string>& docs, PolicyKind kind) {
  std::vector<PolicyPtr> out;
  for (const auto& d : docs) out.push_back(Policy::compile_shared(d, kind));
  return out;
}

RequestContext make_request(const Req& r) {
  RequestContext ctx;
  ctx.action = r.action;
  ctx.resource = r.resource;
  ctx.principal = facts(r.who);
  for (const auto& [k, v] : r.keys) ctx.set(k, v);
  return ctx;
}

}  // namespace

TEST(PolicyEngineTable, DocumentationScenarios) {
  size_t rows = 0;
  for (const Scenario& s : scenarios()) {
    PolicySet set;
    try {
      set.identity = compile_all(s.identity, PolicyKind::kIdentity);
      set.resource = compile_or_null(s.resource_policy, s.resource_kind);
      set.resource_account = s.resource_account;
      set.permissions_boundary = compile_or_null(s.boundary, PolicyKind::kIdentity);
      set.session = compile_all(s.session, PolicyKind::kIdentity);
      for (const auto& level : s.scps) set.scps.push_back(compile_all(level, PolicyKind::kServiceControl));
      set.scp_exempt = s.scp_exempt;
      for (const auto& level : s.rcps) set.rcps.push_back(compile_all(level, PolicyKind::kResourceControl));
    } catch (const PolicyDocumentError& e) {
      ADD_FAILURE() << s.name << ": policy does not compile: " << e.what();
      continue;
    }
    for (size_t i = 0; i < s.rows.size(); ++i) {
      const Row& row = s.rows[i];
      const RequestContext ctx = make_request(row.request);
      const Decision got = evaluate(set, ctx);
      EXPECT_EQ(describe(got), describe(row.expect))
          << s.name << ", row " << i << ": " << ctx.principal.arn << ctx.principal.service << " "
          << ctx.action << " " << ctx.resource;
      // The traced evaluation (SimulatePolicy) must reach the same decision.
      EvaluationTrace trace;
      EXPECT_EQ(describe(evaluate(set, ctx, &trace)), describe(got)) << s.name << ", row " << i << " traced";
      ++rows;
    }
  }
  EXPECT_GE(rows, 200u);
  std::printf("[ policy ] %zu table cases\n", rows);
}

// ----- document checks ---------------------------------------------------------

TEST(PolicyDocumentChecks, MalformedPolicyDocumentMessages) {
  struct Check {
    std::string json;
    PolicyKind kind;
    const char* message;  // nullptr: well-formed
  };
  const std::string allow_s3 = R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})";
  const std::vector<Check> checks = {
      {V("[" + allow_s3 + "]"), PolicyKind::kIdentity, nullptr},
      {R"({"Statement":[)" + allow_s3 + "]}", PolicyKind::kIdentity, nullptr},
      {R"({"Version":"2008-10-17","Statement":)" + allow_s3 + "}", PolicyKind::kIdentity, nullptr},
      {R"({"Version":"2012-10-17","Id":"x","Statement":[)" + allow_s3 + "]}", PolicyKind::kIdentity, nullptr},
      {"not json", PolicyKind::kIdentity, "Syntax errors in policy."},
      {"", PolicyKind::kIdentity, "Syntax errors in policy."},
      {"[]", PolicyKind::kIdentity, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17"})", PolicyKind::kIdentity, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17","Statement":[]})", PolicyKind::kIdentity, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17","Statement":"x"})", PolicyKind::kIdentity, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17","Statement":[)" + allow_s3 + R"(],"Extra":1})", PolicyKind::kIdentity, "Syntax errors in policy."},
      {R"({"Version":"2012-10-18","Statement":[)" + allow_s3 + "]}", PolicyKind::kIdentity, "The policy failed legacy parsing"},
      {R"({"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]})", PolicyKind::kIdentity, "The policy failed legacy parsing"},
      {V(R"([{"Action":"s3:*","Resource":"*"}])"), PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Resource":"*"}])"), PolicyKind::kIdentity, "Policy statement must contain actions."},
      {V(R"([{"Effect":"Allow","Action":[],"Resource":"*"}])"), PolicyKind::kIdentity, "Policy statement must contain actions."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}])"), PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Action":"s3:*"}])"), PolicyKind::kIdentity, "Policy statement must contain resources."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}])"), PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}])"), PolicyKind::kIdentity, "Policy document should not specify a principal."},
      {V(R"([{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}])"), PolicyKind::kIdentity, "Policy document should not specify a principal."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":"bar"}])"), PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Action":"getobject","Resource":"*"}])"), PolicyKind::kIdentity,
       "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
      {V(R"([{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}])"), PolicyKind::kIdentity, "Actions/Condition can contain only one colon."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"my-bucket"}])"), PolicyKind::kIdentity, "Resource my-bucket must be in ARN format or \"*\"."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:iam:111122223333:user/x"}])"), PolicyKind::kIdentity,
       "Resource arn:aws:iam:111122223333:user/x must be in ARN format or \"*\"."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"arn:s3:::bucket/x:y"}])"), PolicyKind::kIdentity,
       "Partition \"s3\" is not valid for resource \"arn:s3:::bucket/x:y\"."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws-moon:s3:::bucket"}])"), PolicyKind::kIdentity,
       "Partition \"aws-moon\" is not valid for resource \"arn:aws-moon:s3:::bucket\"."},
      {V(R"([{"Sid":"has space","Effect":"Allow","Action":"s3:*","Resource":"*"}])"), PolicyKind::kIdentity,
       "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
      {V(R"([{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}])"),
       PolicyKind::kIdentity, "Statement IDs (SID) in a single policy must be unique."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}])"),
       PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}])"),
       PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}])"),
       PolicyKind::kIdentity, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":null}}}])"),
       PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"x"}])"), PolicyKind::kIdentity, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},
            "NumericLessThan":{"s3:max-keys":[10,20.5]}}}])"), PolicyKind::kIdentity, nullptr},
      // trust policies
      {V(R"([{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}])"), PolicyKind::kTrust, nullptr},
      {V(R"([{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["sts:AssumeRole","sts:TagSession"]}])"), PolicyKind::kTrust, nullptr},
      {V(R"([{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:*"}])"), PolicyKind::kTrust, nullptr},
      {V(R"([{"Effect":"Allow","Action":"sts:AssumeRole"}])"), PolicyKind::kTrust, "Missing required field Principal"},
      {V(R"([{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}])"), PolicyKind::kTrust,
       "Has prohibited field Resource"},
      {V(R"([{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject"}])"), PolicyKind::kTrust,
       "AssumeRole policy may only specify STS AssumeRole actions."},
      {V(R"([{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"}])"), PolicyKind::kTrust,
       "Invalid principal in policy: \"AWS\":\"bob\""},
      {V(R"([{"Effect":"Allow","Principal":{"Martian":"x"},"Action":"sts:AssumeRole"}])"), PolicyKind::kTrust, "Syntax errors in policy."},
      {V(R"([{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"sts:AssumeRole"}])"), PolicyKind::kTrust,
       "Syntax errors in policy."},
      // resource policies
      {V(R"([{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}])"), PolicyKind::kResource, nullptr},
      {V(R"([{"Sid":"Any text, here","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}])"), PolicyKind::kResource, nullptr},
      {V(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}])"), PolicyKind::kResource, "Missing required field Principal"},
      {V(R"([{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}])"), PolicyKind::kResource, nullptr},
      // SCPs
      {V(R"([{"Effect":"Deny","Action":"*","Resource":"*"}])"), PolicyKind::kServiceControl, nullptr},
      {V(R"([{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}])"), PolicyKind::kServiceControl,
       "Policy document should not specify a principal."},
  };
  for (size_t i = 0; i < checks.size(); ++i) {
    const auto got = policy_document_error(checks[i].json, checks[i].kind);
    if (checks[i].message == nullptr) {
      EXPECT_FALSE(got.has_value()) << "check " << i << ": " << checks[i].json << " -> " << got.value_or("");
    } else {
      EXPECT_EQ(got.value_or("(well-formed)"), checks[i].message) << "check " << i << ": " << checks[i].json;
    }
  }
  const auto issue = check_policy_document(V(R"([{"Effect":"Allow","Action":"s3:*"}])"), PolicyKind::kIdentity);
  ASSERT_TRUE(issue.has_value());
  EXPECT_EQ(issue->problem, PolicyProblem::kMissingResource);
}

// ----- the parts -----------------------------------------------------------------

TEST(PolicyPattern, WildcardsAndVariables) {
  auto glob = [](const char* pattern, const char* subject, bool ignore_case = false) {
    return Pattern::compile(pattern, {.wildcards = true, .ignore_case = ignore_case}).matches(subject, nullptr);
  };
  EXPECT_TRUE(glob("*", ""));
  EXPECT_TRUE(glob("a*b*c", "aXXbYYc"));
  EXPECT_TRUE(glob("a*b*c", "abc"));
  EXPECT_FALSE(glob("a*b*c", "acb"));
  EXPECT_TRUE(glob("*a", "aaa"));
  EXPECT_TRUE(glob("??", "ab"));
  EXPECT_FALSE(glob("??", "abc"));
  EXPECT_TRUE(glob("a**", "a"));
  EXPECT_TRUE(glob("S3:Get*", "s3:getobject", true));
  EXPECT_FALSE(glob("S3:Get*", "s3:getobject", false));
  EXPECT_FALSE(glob("", "x"));
  EXPECT_TRUE(glob("", ""));
  // Equality patterns take * and ? literally.
  const Pattern eq = Pattern::compile("a*", {.wildcards = false});
  EXPECT_TRUE(eq.matches("a*", nullptr));
  EXPECT_FALSE(eq.matches("ab", nullptr));

  RequestContext ctx;
  ctx.principal = facts(Who::kAlice);
  const PatternOptions vars{.wildcards = true, .variables = true};
  EXPECT_TRUE(Pattern::compile("home/${aws:username}/*", vars).matches("home/alice/x", &ctx));
  EXPECT_TRUE(Pattern::compile("home/${ aws:username }/*", vars).matches("home/alice/x", &ctx));
  EXPECT_TRUE(Pattern::compile("${aws:PrincipalTag/missing, 'it''s'}", vars).matches("it's", &ctx));
  EXPECT_TRUE(Pattern::compile("${aws:PrincipalTag/missing, 'a}b'}", vars).matches("a}b", &ctx));
  EXPECT_FALSE(Pattern::compile("${aws:PrincipalTag/missing}", vars).matches("", &ctx));
  // A value substituted for a variable is literal text, not a wildcard.
  ctx.set("demo:star", "*");
  EXPECT_FALSE(Pattern::compile("${demo:star}", vars).matches("anything", &ctx));
  EXPECT_TRUE(Pattern::compile("${demo:star}", vars).matches("*", &ctx));
  // Malformed variables stay literal.
  EXPECT_TRUE(Pattern::compile("${unclosed", vars).matches("${unclosed", &ctx));
  // A multi-valued key cannot stand in for a variable.
  ctx.set("demo:many", std::vector<std::string>{"a", "b"});
  EXPECT_FALSE(Pattern::compile("${demo:many}", vars).matches("a", &ctx));
  std::vector<std::string> missing;
  Pattern::compile("${aws:PrincipalTag/missing}${aws:username}", vars).missing_keys(ctx, missing);
  EXPECT_EQ(missing, std::vector<std::string>{"aws:PrincipalTag/missing"});
}

TEST(PolicyPattern, ArnSegments) {
  auto arn = [](const char* pattern, const char* subject) {
    return ArnPattern::compile(pattern, false).matches(subject, nullptr);
  };
  EXPECT_TRUE(arn("*", "anything"));
  EXPECT_TRUE(arn("arn:aws:s3:::*", "arn:aws:s3:::bucket/key:with:colons"));
  EXPECT_TRUE(arn("arn:aws:*", "arn:aws:s3:::bucket"));
  EXPECT_TRUE(arn("arn:*:iam::*:role/*", "arn:aws-cn:iam::111122223333:role/x"));
  EXPECT_FALSE(arn("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:user/role/x"));
  EXPECT_FALSE(arn("arn:aws:s3:::bucket", "*"));
  EXPECT_FALSE(arn("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:instance/x"));
  EXPECT_TRUE(arn("execute-api:/*", "execute-api:/prod/GET/x"));
}

TEST(PolicyConditions, Parsing) {
  auto op = parse_condition_operator("ForAnyValue:StringNotLikeIfExists");
  ASSERT_TRUE(op.has_value());
  EXPECT_EQ(op->family, ConditionFamily::kStringLike);
  EXPECT_TRUE(op->negated);
  EXPECT_TRUE(op->if_exists);
  EXPECT_EQ(op->qualifier, SetQualifier::kForAnyValue);
  EXPECT_FALSE(parse_condition_operator("NullIfExists").has_value());
  EXPECT_FALSE(parse_condition_operator("StringEqualsIfExistsIfExists").has_value());
  EXPECT_FALSE(parse_condition_operator("IfExists").has_value());
  EXPECT_TRUE(parse_condition_operator("ForAllValues:ArnNotEqualsIfExists").has_value());

  EXPECT_EQ(parse_policy_date("1970-01-01T00:00:00Z"), 0.0);
  EXPECT_EQ(parse_policy_date("2024-02-29"), 1709164800.0);
  EXPECT_EQ(parse_policy_date("2024-02-29T01:00:00+01:00"), 1709164800.0);
  EXPECT_EQ(parse_policy_date("2024-02-29T00:00:00.5Z"), 1709164800.5);
  EXPECT_EQ(parse_policy_date("1709164800"), 1709164800.0);
  EXPECT_FALSE(parse_policy_date("yesterday").has_value());
  EXPECT_FALSE(parse_policy_date("2024-13-01").has_value());

  const auto v4 = parse_ip_range("10.1.0.0/16");
  ASSERT_TRUE(v4.has_value());
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(v4->prefix, 16);
  EXPECT_EQ(parse_ip_range("::1")->prefix, 128);
  EXPECT_FALSE(parse_ip_range("10.0.0.0/33").has_value());
  EXPECT_FALSE(parse_ip_range("10.0.0/8").has_value());
  EXPECT_FALSE(parse_ip_range("").has_value());
}

TEST(PolicyEvaluation, TraceForSimulation) {
  const std::string text =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\",\n"
      "     \"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": \"us-east-1\"}}},\n"
      "    {\"Sid\": \"NoDelete\", \"Effect\": \"Deny\", \"Action\": \"s3:Delete*\", \"Resource\": \"*\"}\n"
      "  ]\n"
      "}";
  PolicySet set;
  set.identity.push_back(Policy::compile_shared(text, PolicyKind::kIdentity, "ReadOnly"));
  const Policy& policy = *set.identity[0];
  ASSERT_EQ(policy.statements().size(), 2u);
  EXPECT_EQ(policy.statements()[0].start.line, 4);
  EXPECT_EQ(policy.statements()[0].start.column, 5);
  EXPECT_EQ(policy.statements()[0].end.line, 5);
  EXPECT_EQ(policy.statements()[1].start.line, 6);

  RequestContext ctx = make_request(req(Who::kAlice, "s3:GetObject", obj("a")));
  EvaluationTrace trace;
  EXPECT_EQ(evaluate(set, ctx, &trace), kNoId);
  EXPECT_TRUE(trace.matched.empty());
  EXPECT_EQ(trace.missing_context_keys, std::vector<std::string>{"aws:RequestedRegion"});

  ctx.set("aws:RequestedRegion", "us-east-1");
  trace = {};
  EXPECT_EQ(evaluate(set, ctx, &trace), kAllowId);
  ASSERT_EQ(trace.matched.size(), 1u);
  EXPECT_EQ(trace.matched[0].policy->id(), "ReadOnly");
  EXPECT_EQ(trace.matched[0].statement_index, 0u);
  EXPECT_EQ(trace.matched[0].effect, Effect::kAllow);
  EXPECT_TRUE(trace.missing_context_keys.empty());

  set.scps = {{Policy::compile_shared(V(R"([{"Effect":"Allow","Action":"ec2:*","Resource":"*"}])"),
                                      PolicyKind::kServiceControl)}};
  trace = {};
  EXPECT_EQ(evaluate(set, ctx, &trace), kNoScp);
  EXPECT_FALSE(trace.allowed_by_organizations);
}

TEST(PolicyEvaluation, AccessDeniedMessages) {
  EXPECT_EQ(access_denied_message("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                                  "arn:aws:s3:::example-bucket/a", kNoId),
            "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on "
            "resource: arn:aws:s3:::example-bucket/a because no identity-based policy allows the "
            "s3:GetObject action");
  EXPECT_EQ(access_denied_message("arn:aws:iam::111122223333:user/alice", "iam:ListUsers", "*", kDenyScp),
            "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:ListUsers "
            "with an explicit deny in a service control policy");
  EXPECT_EQ(denial_reason(kNoBoundary, "ec2:RunInstances"),
            "because no permissions boundary allows the ec2:RunInstances action");
  EXPECT_EQ(denial_reason(kNoSession, "s3:PutObject"), "because no session policy allows the s3:PutObject action");
  EXPECT_EQ(denial_reason(kNoRes, "s3:GetObject"), "because no resource-based policy allows the s3:GetObject action");
  EXPECT_EQ(denial_reason(kDenyRes, "s3:GetObject"), "with an explicit deny in a resource-based policy");
  EXPECT_EQ(denial_reason(kDenyRcp, "s3:GetObject"), "with an explicit deny in a resource control policy");
  EXPECT_EQ(denial_reason(kAllowId, "s3:GetObject"), "");
}

TEST(PolicyEvaluation, RequestContextFromCaller) {
  Caller caller;
  caller.account_id = kAccount;
  caller.type = PrincipalType::kAssumedRole;
  caller.arn = "arn:aws:sts::111122223333:assumed-role/Dev/s1";
  caller.role_arn = "arn:aws:iam::111122223333:role/Dev";
  caller.user_id = "AROAEXAMPLE:s1";
  caller.session_tags = {{"team", "blue"}};
  caller.source_identity = "alice";
  const RequestContext ctx = request_context_for(caller, "s3:GetObject", obj("a"), 1700000000.0);
  EXPECT_EQ(ctx.principal.kind, PrincipalKind::kAssumedRole);
  auto value = [&](const char* key) {
    const ContextValues v = lookup_context_key(ctx, compile_context_key(key));
    return v.empty() ? std::string("(none)") : std::string(v[0]);
  };
  EXPECT_EQ(value("aws:PrincipalArn"), "arn:aws:iam::111122223333:role/Dev");
  EXPECT_EQ(value("aws:PrincipalAccount"), kAccount);
  EXPECT_EQ(value("aws:PrincipalType"), "AssumedRole");
  EXPECT_EQ(value("aws:userid"), "AROAEXAMPLE:s1");
  EXPECT_EQ(value("aws:username"), "(none)");
  EXPECT_EQ(value("AWS:PrincipalTag/TEAM"), "blue");
  EXPECT_EQ(value("aws:CurrentTime"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(value("aws:EpochTime"), "1700000000");
  EXPECT_EQ(value("aws:SourceIdentity"), "alice");
  EXPECT_EQ(value("aws:PrincipalIsAWSService"), "false");

  EXPECT_EQ(value("aws:MultiFactorAuthPresent"), "(none)");  // long-term credentials: absent

  caller.session_token = "token";
  caller.mfa_present = true;
  const RequestContext session = request_context_for(caller, "s3:GetObject", obj("a"), 1700000000.0);
  auto session_value = [&](const char* key) {
    const ContextValues v = lookup_context_key(session, compile_context_key(key));
    return v.empty() ? std::string("(none)") : std::string(v[0]);
  };
  EXPECT_EQ(session_value("aws:MultiFactorAuthPresent"), "true");
  EXPECT_EQ(session_value("aws:MultiFactorAuthAge"), "0");

  caller.type = PrincipalType::kUser;
  caller.arn = "arn:aws:iam::111122223333:user/team/alice";
  const RequestContext user = request_context_for(caller, "s3:GetObject", obj("a"), 0);
  EXPECT_EQ(user.principal.user_name, "alice");
  EXPECT_TRUE(lookup_context_key(user, compile_context_key("aws:CurrentTime")).empty());
}

TEST(PolicyEvaluation, StoredDocumentThatNoLongerCompilesAllowsNothing) {
  const auto good = Policy::compile_stored(V(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"}])"),
                                           PolicyKind::kIdentity, "p1");
  const auto bad = Policy::compile_stored(R"({"Statement":[{"Effect":"allow"}]})", PolicyKind::kIdentity, "p2");
  EXPECT_EQ(good->statements().size(), 1u);
  EXPECT_TRUE(bad->statements().empty());
  EXPECT_EQ(bad->id(), "p2");
  PolicySet set;
  set.identity = {bad};
  EXPECT_EQ(evaluate(set, make_request(req(Who::kAlice, "s3:GetObject", obj("a")))), kNoId);
}

TEST(PolicyEvaluation, RequestFactsAnswerGlobalKeys) {
  // What the Authorizer sets from the request, as fields; an explicit
  // context key (SimulatePrincipalPolicy's ContextEntries) overrides one.
  PolicySet set;
  set.identity = compile_all({V(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
      "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},
                   "StringEquals":{"aws:RequestedRegion":"eu-west-1","aws:PrincipalOrgID":"o-abc"},
                   "Bool":{"aws:SecureTransport":"true","aws:ViaAWSService":"false"}}}])")},
                             PolicyKind::kIdentity);
  RequestContext ctx = make_request(req(Who::kAlice, "s3:GetObject", obj("a")));
  ctx.facts.source_ip = "10.1.2.3";
  ctx.facts.requested_region = "eu-west-1";
  ctx.facts.secure_transport = true;
  ctx.facts.via_aws_service = false;
  ctx.principal.organization_id = "o-abc";
  EXPECT_EQ(evaluate(set, ctx), kAllowId);
  ctx.facts.secure_transport = false;
  EXPECT_EQ(evaluate(set, ctx), kNoId);
  ctx.set("aws:SecureTransport", "true");
  EXPECT_EQ(evaluate(set, ctx), kAllowId);
  ctx.facts.source_ip = "192.0.2.1";
  EXPECT_EQ(evaluate(set, ctx), kNoId);
  ctx.facts = RequestFacts{};
  EXPECT_EQ(evaluate(set, ctx), kNoId);  // absent keys match no condition
}

TEST(PolicyEvaluation, WhetherAPolicyReadsOnlyThePrincipal) {
  auto identity = [](const std::string& statements) { return Policy::compile_shared(V(statements), PolicyKind::kIdentity); };
  // The principal's own variables are fixed for a credential...
  EXPECT_TRUE(identity(R"([{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}])")->reads_only_principal());
  EXPECT_TRUE(identity(R"([{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/${aws:username}"},
      {"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::${aws:PrincipalTag/team}-${aws:userid}/*"}])")
                  ->reads_only_principal());
  // ...a condition, or a variable the request sets, is not.
  EXPECT_FALSE(identity(R"([{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"},
      {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}])")
                   ->reads_only_principal());
  EXPECT_FALSE(identity(R"([{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:SourceIp}"}])")
                   ->reads_only_principal());
  EXPECT_FALSE(identity(R"([{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${s3:prefix}"}])")
                   ->reads_only_principal());
  // Version 2008-10-17 has no variables: "${aws:SourceIp}" is literal text.
  EXPECT_TRUE(Policy::compile_shared(R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",
      "Resource":"arn:aws:s3:::b/${aws:SourceIp}"}]})", PolicyKind::kIdentity)->reads_only_principal());

  // A set reads only the principal when every policy in it does, SCPs included.
  PolicySet set;
  set.identity = {identity(R"([{"Effect":"Allow","Action":"*","Resource":"*"}])")};
  set.scps = {{Policy::compile_shared(V(R"([{"Effect":"Allow","Action":"*","Resource":"*"}])"),
                                      PolicyKind::kServiceControl)}};
  EXPECT_TRUE(reads_only_principal(set));
  set.scps.push_back({Policy::compile_shared(V(R"([{"Effect":"Deny","Action":"*","Resource":"*",
      "Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}])"), PolicyKind::kServiceControl)});
  EXPECT_FALSE(reads_only_principal(set));
  set.scps.pop_back();
  set.permissions_boundary = identity(R"([{"Effect":"Allow","Action":"*","Resource":"*",
      "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}])");
  EXPECT_FALSE(reads_only_principal(set));
}

TEST(PolicyEvaluation, Timing) {
  // A user with a handful of realistic policies, an SCP chain and a bucket
  // policy: what --enforce-iam pays per request. Printed, not asserted.
  PolicySet set;
  set.identity = compile_all({V(R"([{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"},
                                   {"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}])"),
                              V(R"([{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],
                                     "Resource":"arn:aws:s3:::example-bucket/home/${aws:username}/*"}])"),
                              V(R"([{"Effect":"Deny","Action":"*","Resource":"*",
                                     "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}])")},
                             PolicyKind::kIdentity);
  set.resource = Policy::compile_shared(V(R"([{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
      "Condition":{"Bool":{"aws:SecureTransport":"false"}}}])"), PolicyKind::kResource);
  set.scps = {{Policy::compile_shared(kFullAccess, PolicyKind::kServiceControl)},
              {Policy::compile_shared(kFullAccess, PolicyKind::kServiceControl),
               Policy::compile_shared(V(R"([{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
                  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}])"),
                                      PolicyKind::kServiceControl)}};
  RequestContext ctx = make_request(req(Who::kAlice, "s3:PutObject", obj("home/alice/report.csv"),
                                        {{"aws:MultiFactorAuthPresent", {"true"}},
                                         {"aws:SecureTransport", {"true"}},
                                         {"aws:RequestedRegion", {"us-east-1"}},
                                         {"aws:SourceIp", {"192.0.2.1"}}}));
  ASSERT_EQ(evaluate(set, ctx), kAllowId);
  constexpr int kIterations = 200000;
  int allowed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) allowed += evaluate(set, ctx).allowed() ? 1 : 0;
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(allowed, kIterations);
  const double ns = std::chrono::duration<double, std::nano>(elapsed).count() / kIterations;
  std::printf("[ policy ] evaluate(): %.0f ns per decision (%d identity policies, 2 SCP levels, bucket policy)\n",
              ns, static_cast<int>(set.identity.size()));
}
