#pragma once
// What an IAM policy decision reads about one request: who asks (the
// principal), what for (action, resource), and the request's condition
// context keys (aws:SourceIp, aws:CurrentTime, s3:prefix, ...).
//
// The policy engine never allocates while it reads a RequestContext: keys are
// looked up case-insensitively through transparent comparators, and the keys
// AWS derives from the principal (aws:username, aws:PrincipalArn, ...) or
// sets on every request (aws:SourceIp, aws:CurrentTime, ...) are answered
// from PrincipalFacts and RequestFacts as views: building a context for a
// request allocates no map entries.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.hpp"
#include "core/caller.hpp"

namespace terrarium::auth {

// Condition key names (and the tag key inside aws:PrincipalTag/x) compare
// without regard to ASCII case, as AWS compares them. Shorter names order
// first, so that most comparisons in a lookup end at the length.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept;
};

using ContextKeys = std::map<std::string, std::vector<std::string>, CaseInsensitiveLess>;
using TagMap = std::map<std::string, std::string, CaseInsensitiveLess>;

enum class PrincipalKind : uint8_t {
  kRoot,           // an account's root user
  kUser,           // an IAM user
  kAssumedRole,    // a role session (AssumeRole, AssumeRoleWithSAML/WebIdentity)
  kFederatedUser,  // a GetFederationToken session
  kWebIdentity,    // an OIDC/SAML identity before it assumes a role (Federated principal)
  kService,        // an AWS service principal ("lambda.amazonaws.com")
  kAnonymous,      // an unsigned request
};

struct PrincipalFacts {
  PrincipalKind kind = PrincipalKind::kAnonymous;
  std::string account;    // 12 digits; empty for service, web identity and anonymous
  std::string arn;        // the caller's own ARN: user, session, federated user, or account root
  std::string user_id;    // aws:userid: AIDA..., AROA...:session, or the account id for root
  std::string user_name;  // aws:username; IAM users only
  std::string role_arn;   // the role (with its path) behind an assumed-role session
  std::string federated_provider;  // web identity: "cognito-identity.amazonaws.com", a provider ARN
  std::string service;             // service principal: "ec2.amazonaws.com"
  std::string canonical_user_id;   // S3's CanonicalUser principal, when known
  TagMap principal_tags;           // tags of the IAM user or role
  TagMap session_tags;             // session tags; they win over principal_tags
  std::string organization_id;     // aws:PrincipalOrgID: the account's organization
  std::string source_identity;     // aws:SourceIdentity of a role session
  // aws:MultiFactorAuthPresent, which AWS sets for temporary credentials
  // only; when true, aws:MultiFactorAuthAge is "0".
  std::optional<bool> multi_factor_auth_present;
};

// The global keys AWS sets from the request itself; unset ones are absent.
struct RequestFacts {
  std::string source_ip;                 // aws:SourceIp
  std::optional<bool> secure_transport;  // aws:SecureTransport
  std::string requested_region;          // aws:RequestedRegion
  std::optional<bool> via_aws_service;   // aws:ViaAWSService
  std::string current_time;              // aws:CurrentTime (ISO 8601)
  std::string epoch_time;                // aws:EpochTime
};

// A request as policies see it. `action` is "service:Operation" in any case;
// `resource` is the ARN the action touches, or "*" (or empty) for actions
// without resource-level permissions.
struct RequestContext {
  std::string action;
  std::string resource;
  PrincipalFacts principal;
  RequestFacts facts;
  // Multi-valued keys (aws:TagKeys) hold several values; single-valued keys
  // one. A key with no values counts as absent, as AWS treats an empty one.
  ContextKeys context_keys;

  void set(std::string key, std::string value) {
    context_keys[std::move(key)] = std::vector<std::string>{std::move(value)};
  }
  void set(std::string key, std::vector<std::string> values) {
    context_keys[std::move(key)] = std::move(values);
  }
};

// The principal facts a Caller carries (session tags, aws:SourceIdentity,
// aws:MultiFactorAuthPresent for temporary credentials), and aws:CurrentTime
// and aws:EpochTime from `now` (none when 0). The Authorizer adds what only
// the request knows (aws:SourceIp, aws:SecureTransport, aws:RequestedRegion,
// aws:PrincipalOrgID, principal tags, ...).
RequestContext request_context_for(const Caller& caller, std::string action, std::string resource,
                                   double now);

// The values of a context key, as views into the RequestContext (or into
// static text for derived keys such as aws:PrincipalType).
class ContextValues {
 public:
  ContextValues() = default;
  explicit ContextValues(std::string_view one) : one_(one), size_(1) {}
  explicit ContextValues(const std::vector<std::string>& many)
      : many_(many.data()), size_(many.size()) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view operator[](size_t i) const { return many_ ? std::string_view(many_[i]) : one_; }

 private:
  std::string_view one_;
  const std::string* many_ = nullptr;
  size_t size_ = 0;
};

// Keys answered from PrincipalFacts and RequestFacts.
enum class DerivedKey : uint8_t {
  kNone,
  kUserName,             // aws:username
  kUserId,               // aws:userid
  kPrincipalArn,         // aws:PrincipalArn (the role's ARN for a role session)
  kPrincipalAccount,     // aws:PrincipalAccount
  kPrincipalType,        // aws:PrincipalType: Account, User, AssumedRole, FederatedUser, Anonymous
  kPrincipalTag,         // aws:PrincipalTag/<tag>
  kPrincipalIsAwsService,// aws:PrincipalIsAWSService
  kPrincipalServiceName, // aws:PrincipalServiceName
  kFederatedProvider,    // aws:FederatedProvider
  kPrincipalOrgId,       // aws:PrincipalOrgID
  kSourceIdentity,       // aws:SourceIdentity
  kMultiFactorAuthPresent,  // aws:MultiFactorAuthPresent
  kMultiFactorAuthAge,   // aws:MultiFactorAuthAge
  kSourceIp,             // aws:SourceIp
  kSecureTransport,      // aws:SecureTransport
  kRequestedRegion,      // aws:RequestedRegion
  kViaAwsService,        // aws:ViaAWSService
  kCurrentTime,          // aws:CurrentTime
  kEpochTime,            // aws:EpochTime
};

// A condition key (or policy variable) name, resolved once when a policy is
// compiled.
struct ContextKeyRef {
  std::string name;  // as written in the policy
  DerivedKey derived = DerivedKey::kNone;
  std::string tag;   // the tag key of aws:PrincipalTag/<tag>
};

ContextKeyRef compile_context_key(std::string_view name);

// The derived key `name` names (any case), or kNone for a key the request
// must carry itself. aws:PrincipalTag/<tag> is kPrincipalTag.
DerivedKey derived_key_named(std::string_view name);
// Whether the key's value is fixed for one credential: it tells who asks,
// not what the request carries or when it comes.
bool describes_principal(DerivedKey key);

// An explicit context key wins over the value derived from the facts, so
// callers (and SimulatePrincipalPolicy's ContextEntries) can override it.
ContextValues lookup_context_key(const RequestContext& ctx, const ContextKeyRef& key);

}  // namespace terrarium::auth
