#include "services/sts/sessions.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "auth/credentials.hpp"
#include "auth/iam_arn.hpp"
#include "auth/policy.hpp"
#include "auth/sha256.hpp"
#include "core/ascii.hpp"
#include "core/aws_error.hpp"
#include "core/base32.hpp"
#include "core/base64.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"

namespace terrarium::services::sts {

namespace {

constexpr size_t kPackedPolicyLimit = 2048;
constexpr size_t kMaxSessionTags = 50;

AwsError validation(const std::string& message) { return AwsError("ValidationError", message); }

}  // namespace

RoleArn parse_role_arn(const std::string& arn) {
  auto parsed = auth::parse_iam_arn(arn);
  if (!parsed || parsed->type != "role" || parsed->account == "aws")
    throw validation("Value '" + arn + "' at 'roleArn' failed to satisfy constraint: Member must be a valid role ARN");
  return RoleArn{std::move(parsed->account), std::move(parsed->path), std::move(parsed->name), arn};
}

std::string role_id_for(const std::string& role_arn) {
  auth::Sha256 hash;
  hash.update(role_arn);
  const auth::Sha256Digest digest = hash.finish();
  std::string id = "AROA";
  for (int i = 0; i < 17; ++i) id.push_back(kBase32Alphabet[digest[i] % 32]);
  return id;
}

int64_t check_session_policy_and_tags(const Value& input) {
  const auto& in = input.as_object();
  size_t packed = 0;
  bool any = false;
  if (auto policy = get_string(input, "Policy")) {
    any = true;
    boost::system::error_code ec;
    auto doc = boost::json::parse(*policy, ec);
    if (ec || !doc.is_object())
      throw AwsError("MalformedPolicyDocument", "The policy is not in the valid JSON format.");
    // A session policy follows the rules of an identity-based policy.
    if (auto why = auth::policy_document_error(*policy, auth::PolicyKind::kIdentity))
      throw AwsError("MalformedPolicyDocument", *why);
    // AWS packs the policy before measuring it: whitespace does not count.
    packed += boost::json::serialize(doc).size();
  }
  if (const auto* policy_arns = in.if_contains("PolicyArns"); policy_arns && policy_arns->is_array()) {
    any = any || !policy_arns->as_array().empty();
    packed += policy_arns->as_array().size() * 64;
  }
  if (const auto* tags = in.if_contains("Tags"); tags && tags->is_array()) {
    const auto& list = tags->as_array();
    any = any || !list.empty();
    if (list.size() > kMaxSessionTags)
      throw validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
    std::set<std::string> keys;
    for (const auto& tag : list) {
      const std::string key = get_string(tag, "Key").value_or("");
      const std::string value = get_string(tag, "Value").value_or("");
      packed += key.size() + value.size();
      if (!keys.insert(ascii_lower(key)).second)
        throw AwsError("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
  }
  if (!any) return -1;
  const int64_t percent = static_cast<int64_t>((packed * 100 + kPackedPolicyLimit - 1) / kPackedPolicyLimit);
  if (packed > kPackedPolicyLimit)
    throw AwsError("PackedPolicyTooLarge",
                   "Packed policy consumes " + std::to_string(percent) + "% of allotted space, please use smaller policy.");
  return percent;
}

int64_t requested_duration(const Value& input, int64_t fallback) {
  return get_int(input, "DurationSeconds").value_or(fallback);
}

void set_session_policies(Caller& session, const Value& input) {
  session.session_policy = get_string(input, "Policy").value_or("");
  if (const auto* arns = input.as_object().if_contains("PolicyArns"); arns && arns->is_array())
    for (const auto& entry : arns->as_array())
      if (auto arn = get_string(entry, "arn")) session.session_policy_arns.push_back(*arn);
}

Caller assumed_role_caller(const RoleArn& role, const std::string& session_name, const Value& input) {
  Caller c;
  c.account_id = role.account_id;
  c.type = PrincipalType::kAssumedRole;
  c.role_arn = role.arn;
  c.session_name = session_name;
  c.arn = "arn:aws:sts::" + role.account_id + ":assumed-role/" + role.name + "/" + session_name;
  c.user_id = role_id_for(role.arn) + ":" + session_name;
  c.source_identity = get_string(input, "SourceIdentity").value_or("");
  c.external_id = get_string(input, "ExternalId").value_or("");
  set_session_policies(c, input);
  if (const auto* tags = input.as_object().if_contains("Tags"); tags && tags->is_array())
    for (const auto& tag : tags->as_array())
      c.session_tags[get_string(tag, "Key").value_or("")] = get_string(tag, "Value").value_or("");
  c.authenticated = true;
  return c;
}

Value assumed_role_user(const Caller& session) {
  return Object{{"AssumedRoleId", session.user_id}, {"Arn", session.arn}};
}

Value issue_credentials(Context& ctx, Caller session, int64_t duration_seconds) {
  session.access_key_id = auth::new_access_key_id("ASIA", session.account_id);
  session.session_token = "FwoGZXIvYXdzE" + base64_encode(random_bytes(192));
  // Whole seconds, as AWS hands them out.
  session.expiration = static_cast<double>(static_cast<int64_t>(now_epoch_seconds()) + duration_seconds);
  auth::IssuedCredential credential{session, new_secret(40)};
  ctx.credentials->remember(ctx.txn(), credential);
  return Object{{"AccessKeyId", session.access_key_id},
                {"SecretAccessKey", credential.secret_key},
                {"SessionToken", session.session_token},
                {"Expiration", session.expiration}};
}

}  // namespace terrarium::services::sts
