#include "auth/credentials.hpp"

#include <cctype>

#include "core/base32.hpp"
#include "core/context.hpp"
#include "core/ids.hpp"
#include "store/store.hpp"

namespace terrarium::auth {

namespace {

// Issued credentials live in their issuer's state: <issuer>/credentials.
constexpr std::string_view kIssuers[] = {"sts", "iam"};

std::string credential_namespace(std::string_view issuer) {
  return std::string(issuer) + "/credentials";
}
// The first 48 bits of a base32 text, or nullopt.
std::optional<uint64_t> base32_decode_first_48_bits(std::string_view text) {
  const auto bytes = base32_decode(text);
  if (!bytes || bytes->size() < 6) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < 6; ++i) value = (value << 8) | static_cast<unsigned char>((*bytes)[i]);
  return value;
}

PrincipalType type_from(std::string_view s) {
  if (s == "user") return PrincipalType::kUser;
  if (s == "assumed-role") return PrincipalType::kAssumedRole;
  if (s == "federated-user") return PrincipalType::kFederatedUser;
  if (s == "anonymous") return PrincipalType::kAnonymous;
  return PrincipalType::kRoot;
}

std::string_view type_name(PrincipalType t) {
  switch (t) {
    case PrincipalType::kUser: return "user";
    case PrincipalType::kAssumedRole: return "assumed-role";
    case PrincipalType::kFederatedUser: return "federated-user";
    case PrincipalType::kAnonymous: return "anonymous";
    case PrincipalType::kRoot: break;
  }
  return "root";
}

Caller root_of(std::string_view account_id, std::string_view access_key_id) {
  Caller c;
  c.account_id = std::string(account_id);
  c.arn = "arn:aws:iam::" + c.account_id + ":root";
  c.user_id = c.account_id;
  c.type = PrincipalType::kRoot;
  c.access_key_id = std::string(access_key_id);
  c.authenticated = true;
  return c;
}

}  // namespace

bool is_account_id(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string new_access_key_id(std::string_view prefix, std::string_view account_id) {
  const std::string random = random_bytes(10);
  unsigned char bytes[10];
  for (int i = 0; i < 10; ++i) bytes[i] = static_cast<unsigned char>(random[i]);
  const uint64_t account = std::stoull(std::string(account_id));
  // Bits 46..7 of the first six bytes carry the account; the rest is random.
  uint64_t head = (static_cast<uint64_t>(bytes[0]) << 40) & (1ULL << 47);
  head |= account << 7;
  head |= bytes[1] & 0x7F;
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(head >> (40 - 8 * i));
  return std::string(prefix) + base32_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::optional<std::string> account_of_access_key(std::string_view key) {
  if (is_account_id(key)) return std::string(key);
  if (key.size() != 20) return std::nullopt;
  const auto head = base32_decode_first_48_bits(key.substr(4));
  if (!head) return std::nullopt;
  const uint64_t account = (*head & 0x7fffffffff80ULL) >> 7;
  std::string digits = std::to_string(account);
  if (digits.size() > 12) return std::nullopt;
  return std::string(12 - digits.size(), '0') + digits;
}

Value caller_to_value(const Caller& c) {
  Object tags;
  for (const auto& [k, v] : c.session_tags) tags[k] = v;
  Array policy_arns;
  for (const auto& arn : c.session_policy_arns) policy_arns.emplace_back(arn);
  return Object{{"account_id", c.account_id},
                {"arn", c.arn},
                {"user_id", c.user_id},
                {"type", type_name(c.type)},
                {"access_key_id", c.access_key_id},
                {"session_token", c.session_token},
                {"session_name", c.session_name},
                {"role_arn", c.role_arn},
                {"source_identity", c.source_identity},
                {"external_id", c.external_id},
                {"session_tags", std::move(tags)},
                {"session_policy", c.session_policy},
                {"session_policy_arns", std::move(policy_arns)},
                {"parent_user_arn", c.parent_user_arn},
                {"mfa_present", c.mfa_present},
                {"expiration", c.expiration}};
}

Caller caller_from_value(const Value& v) {
  Caller c;
  const auto& o = v.as_object();
  auto str = [&](std::string_view k) {
    const auto* m = o.if_contains(k);
    return m && m->is_string() ? std::string(m->get_string()) : std::string();
  };
  c.account_id = str("account_id");
  c.arn = str("arn");
  c.user_id = str("user_id");
  c.type = type_from(str("type"));
  c.access_key_id = str("access_key_id");
  c.session_token = str("session_token");
  c.session_name = str("session_name");
  c.role_arn = str("role_arn");
  c.source_identity = str("source_identity");
  c.external_id = str("external_id");
  if (const auto* tags = o.if_contains("session_tags"))
    for (const auto& [k, val] : tags->as_object()) c.session_tags[std::string(k)] = std::string(val.as_string());
  if (const auto* e = o.if_contains("expiration")) c.expiration = e->to_number<double>();
  c.session_policy = str("session_policy");
  c.parent_user_arn = str("parent_user_arn");
  if (const auto* arns = o.if_contains("session_policy_arns"); arns && arns->is_array())
    for (const auto& arn : arns->as_array()) c.session_policy_arns.emplace_back(arn.as_string());
  if (const auto* mfa = o.if_contains("mfa_present"); mfa && mfa->is_bool()) c.mfa_present = mfa->as_bool();
  c.authenticated = true;
  return c;
}

void CredentialStore::remember(store::Transaction& txn, const IssuedCredential& credential) {
  Value doc = caller_to_value(credential.caller);
  doc.as_object()["secret_key"] = credential.secret_key;
  doc.as_object()["issuer"] = credential.issuer;
  txn.put(credential_namespace(credential.issuer), credential.caller.access_key_id, doc);
}

void CredentialStore::forget(Context& ctx, std::string_view access_key_id) {
  for (auto issuer : kIssuers) ctx.txn().erase(credential_namespace(issuer), access_key_id);
  ctx.after_commit.push_back([this, key = std::string(access_key_id)] {
    std::unique_lock lock(mutex_);
    cache_.erase(key);
  });
}

std::shared_ptr<const IssuedCredential> CredentialStore::find(std::string_view access_key_id) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = cache_.find(access_key_id); it != cache_.end()) return it->second;
  }
  std::optional<Value> doc;
  {
    auto txn = store_.begin_read();
    for (auto issuer : kIssuers)
      if (!doc) doc = txn->get(credential_namespace(issuer), access_key_id);
  }
  if (!doc) return nullptr;
  auto credential = std::make_shared<const IssuedCredential>(
      IssuedCredential{caller_from_value(*doc), std::string(doc->as_object().at("secret_key").as_string()),
                       std::string(doc->as_object().at("issuer").as_string())});
  std::unique_lock lock(mutex_);
  cache_.insert_or_assign(std::string(access_key_id), credential);
  return credential;
}

void CredentialStore::clear_cache() {
  std::unique_lock lock(mutex_);
  cache_.clear();
}

Caller resolve_caller(const std::optional<SigV4Info>& sig, const http::Request& request,
                      CredentialStore& credentials, const ServerConfig& config, bool verify,
                      ErrorStyle style, double now, std::string_view virtual_host_bucket) {
  if (!sig || sig->access_key_id.empty()) {
    Caller anonymous;
    anonymous.account_id = config.default_account;
    anonymous.arn = "";
    anonymous.user_id = "";
    anonymous.type = PrincipalType::kAnonymous;
    return anonymous;
  }
  if (verify) throw_if_malformed(*sig, style);
  // S3 still takes its legacy signature (boto3 presigns with it); nothing else does.
  auto check_signature = [&](std::string_view secret) {
    if (!sig->is_v4() && style == ErrorStyle::kS3)
      verify_s3_sigv2(request, *sig, secret, now, virtual_host_bucket);
    else
      verify_sigv4(request, *sig, secret, now, VerifyOptions{style, {}, 15 * 60, true});
  };
  const std::string& key = sig->access_key_id;
  // Issued keys look like AWS's; a 12-digit or "test" key never was issued.
  std::shared_ptr<const IssuedCredential> issued;
  if (!is_account_id(key) && key.size() >= 16) issued = credentials.find(key);
  if (issued) {
    if (verify) {
      if (!issued->caller.session_token.empty() && sig->session_token != issued->caller.session_token)
        throw AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
      if (issued->caller.expiration > 0 && now > issued->caller.expiration)
        throw AwsError("ExpiredToken", "The security token included in the request is expired", 403);
      check_signature(issued->secret_key);
    }
    return issued->caller;
  }
  const bool root_key = is_account_id(key) || key == "test";
  if (verify) {
    if (!root_key) throw unknown_access_key_error(style, key);
    check_signature(config.root_secret_key);
  }
  return root_of(is_account_id(key) ? key : config.default_account, key);
}

}  // namespace terrarium::auth
