// libFuzzer target: IAM policy documents (auth/policy.hpp), which users send
// in CreatePolicy, PutRolePolicy, trust policies, bucket policies... The
// input picks the document's kind and a request (action, resource, caller,
// context keys); the rest is the JSON document. Checking and compiling must
// agree on whether it is malformed and throw nothing but PolicyDocumentError;
// a compiled policy is then evaluated against the request.
#include "auth/policy.hpp"
#include "auth/policy_evaluation.hpp"
#include "fuzz_common.hpp"

using namespace terrarium;

namespace {

const std::vector<std::string> kActions = {"s3:GetObject", "iam:CreateRole", "sts:AssumeRole",
                                           "ec2:RunInstances", "kms:Decrypt"};
const std::vector<std::string> kResources = {
    "arn:aws:s3:::bucket/key", "arn:aws:iam::123456789012:role/path/r",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "*"};
const std::vector<std::string> kKeys = {
    "aws:SourceIp", "aws:CurrentTime", "aws:EpochTime", "aws:SecureTransport",
    "aws:RequestTag/team", "aws:TagKeys", "aws:PrincipalTag/team", "s3:prefix",
    "aws:username", "aws:PrincipalArn", "aws:MultiFactorAuthAge"};
const std::vector<std::string> kAccounts = {"123456789012", "000000000000"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto kind = static_cast<auth::PolicyKind>(fdp.ConsumeIntegralInRange<int>(0, 4));
  auth::RequestContext ctx;
  ctx.action = fuzz::pick_name(fdp, kActions, 48);
  ctx.resource = fuzz::pick_name(fdp, kResources, 96);
  ctx.principal.kind = static_cast<auth::PrincipalKind>(fdp.ConsumeIntegralInRange<int>(0, 6));
  ctx.principal.account = fuzz::pick_name(fdp, kAccounts, 16);
  ctx.principal.arn = "arn:aws:iam::" + ctx.principal.account + ":user/" +
                      fdp.ConsumeRandomLengthString(24);
  ctx.principal.user_name = fdp.ConsumeRandomLengthString(24);
  ctx.principal.principal_tags["team"] = fdp.ConsumeRandomLengthString(16);
  for (int n = fdp.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
    std::string key = fuzz::pick_name(fdp, kKeys, 32);
    std::vector<std::string> values;
    for (int v = fdp.ConsumeIntegralInRange<int>(0, 2); v > 0; --v)
      values.push_back(fdp.ConsumeRandomLengthString(40));
    ctx.set(std::move(key), std::move(values));
  }
  const std::string json = fdp.ConsumeRemainingBytesAsString();
  if (std::getenv("TERRARIUM_FUZZ_VERBOSE"))
    std::fprintf(stderr, "[policy kind %d] action %s resource %s\n  %s\n", static_cast<int>(kind),
                 ctx.action.c_str(), ctx.resource.c_str(), json.c_str());

  std::optional<auth::PolicyDocumentIssue> issue;
  try {
    issue = auth::check_policy_document(json, kind);
  } catch (const std::exception& e) {
    fuzz::fail("check_policy_document", std::string("threw: ") + e.what());
  }
  std::shared_ptr<const auth::Policy> policy;
  try {
    policy = auth::Policy::compile_shared(json, kind, "fuzz");
  } catch (const auth::PolicyDocumentError& e) {
    if (!issue) fuzz::fail("Policy::compile", std::string("rejects what the check accepts: ") + e.what());
    return 0;
  } catch (const std::exception& e) {
    fuzz::fail("Policy::compile", std::string("threw: ") + e.what());
  }
  if (issue) fuzz::fail("Policy::compile", "accepts what the check rejects: " + issue->message);

  fuzz::expect_only_aws_errors("policy evaluation", [&] {
    for (const auto& statement : policy->statements()) {
      (void)statement.matches_action(ctx.action);
      (void)statement.matches_resource(ctx.resource, ctx);
      (void)statement.conditions_hold(ctx);
      (void)statement.principal.match(ctx.principal);
    }
    auth::PolicySet set;
    switch (kind) {
      case auth::PolicyKind::kIdentity: set.identity.push_back(policy); break;
      case auth::PolicyKind::kResource:
      case auth::PolicyKind::kTrust:
        set.resource = policy;
        set.resource_account = ctx.principal.account;
        break;
      case auth::PolicyKind::kServiceControl: set.scps.push_back({policy}); break;
      case auth::PolicyKind::kResourceControl: set.rcps.push_back({policy}); break;
    }
    auth::EvaluationTrace trace;
    const auth::Decision decision = auth::evaluate(set, ctx, &trace);
    (void)auth::denial_reason(decision, ctx.action);
    (void)auth::access_denied_message(ctx.principal.arn, ctx.action, ctx.resource, decision);
  });
  return 0;
}
