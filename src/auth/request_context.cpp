#include "auth/request_context.hpp"

#include "core/time_format.hpp"

namespace terrarium::auth {

namespace {

constexpr std::string_view kPrincipalTagPrefix = "aws:PrincipalTag/";

std::string_view principal_type_name(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kRoot: return "Account";
    case PrincipalKind::kUser: return "User";
    case PrincipalKind::kAssumedRole: return "AssumedRole";
    case PrincipalKind::kFederatedUser: return "FederatedUser";
    case PrincipalKind::kAnonymous: return "Anonymous";
    case PrincipalKind::kWebIdentity:
    case PrincipalKind::kService: return {};
  }
  return {};
}

ContextValues one_or_none(std::string_view v) {
  return v.empty() ? ContextValues() : ContextValues(v);
}

ContextValues boolean(std::optional<bool> v) {
  if (!v) return {};
  return ContextValues(*v ? std::string_view("true") : std::string_view("false"));
}

// The derived keys by name, matched without regard to case.
constexpr std::pair<std::string_view, DerivedKey> kDerivedKeys[] = {
    {"aws:username", DerivedKey::kUserName},
    {"aws:userid", DerivedKey::kUserId},
    {"aws:PrincipalArn", DerivedKey::kPrincipalArn},
    {"aws:PrincipalAccount", DerivedKey::kPrincipalAccount},
    {"aws:PrincipalType", DerivedKey::kPrincipalType},
    {"aws:PrincipalIsAWSService", DerivedKey::kPrincipalIsAwsService},
    {"aws:PrincipalServiceName", DerivedKey::kPrincipalServiceName},
    {"aws:FederatedProvider", DerivedKey::kFederatedProvider},
    {"aws:PrincipalOrgID", DerivedKey::kPrincipalOrgId},
    {"aws:SourceIdentity", DerivedKey::kSourceIdentity},
    {"aws:MultiFactorAuthPresent", DerivedKey::kMultiFactorAuthPresent},
    {"aws:MultiFactorAuthAge", DerivedKey::kMultiFactorAuthAge},
    {"aws:SourceIp", DerivedKey::kSourceIp},
    {"aws:SecureTransport", DerivedKey::kSecureTransport},
    {"aws:RequestedRegion", DerivedKey::kRequestedRegion},
    {"aws:ViaAWSService", DerivedKey::kViaAwsService},
    {"aws:CurrentTime", DerivedKey::kCurrentTime},
    {"aws:EpochTime", DerivedKey::kEpochTime},
};

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const noexcept {
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    const char x = ascii_lower(a[i]), y = ascii_lower(b[i]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  }
  return false;
}

RequestContext request_context_for(const Caller& caller, std::string action, std::string resource,
                                   double now) {
  RequestContext ctx;
  ctx.action = std::move(action);
  ctx.resource = std::move(resource);
  PrincipalFacts& p = ctx.principal;
  p.account = caller.account_id;
  p.arn = caller.arn;
  p.user_id = caller.user_id;
  switch (caller.type) {
    case PrincipalType::kRoot: p.kind = PrincipalKind::kRoot; break;
    case PrincipalType::kUser: {
      p.kind = PrincipalKind::kUser;
      // arn:aws:iam::123456789012:user/path/name: the name is the last segment.
      const auto slash = caller.arn.rfind('/');
      if (slash != std::string::npos) p.user_name = caller.arn.substr(slash + 1);
      break;
    }
    case PrincipalType::kAssumedRole:
      p.kind = PrincipalKind::kAssumedRole;
      p.role_arn = caller.role_arn;
      break;
    case PrincipalType::kFederatedUser: p.kind = PrincipalKind::kFederatedUser; break;
    case PrincipalType::kAnonymous:
      p = PrincipalFacts{};
      p.kind = PrincipalKind::kAnonymous;
      break;
  }
  for (const auto& [k, v] : caller.session_tags) p.session_tags[k] = v;
  p.source_identity = caller.source_identity;
  // Present for temporary credentials only, as AWS sets it.
  if (!caller.session_token.empty()) p.multi_factor_auth_present = caller.mfa_present;
  if (now > 0) {
    // Every authorized request asks for the time: format it once a second.
    thread_local int64_t formatted_second = -1;
    thread_local std::string current_time, epoch_time;
    const auto second = static_cast<int64_t>(now);
    if (second != formatted_second) {
      current_time = format_iso8601(static_cast<double>(second));
      epoch_time = std::to_string(second);
      formatted_second = second;
    }
    ctx.facts.current_time = current_time;
    ctx.facts.epoch_time = epoch_time;
  }
  return ctx;
}

DerivedKey derived_key_named(std::string_view name) {
  if (istarts_with(name, kPrincipalTagPrefix)) return DerivedKey::kPrincipalTag;
  for (const auto& [known, derived] : kDerivedKeys)
    if (iequals(name, known)) return derived;
  return DerivedKey::kNone;
}

bool describes_principal(DerivedKey key) {
  switch (key) {
    case DerivedKey::kUserName:
    case DerivedKey::kUserId:
    case DerivedKey::kPrincipalArn:
    case DerivedKey::kPrincipalAccount:
    case DerivedKey::kPrincipalType:
    case DerivedKey::kPrincipalTag:
    case DerivedKey::kPrincipalIsAwsService:
    case DerivedKey::kPrincipalServiceName:
    case DerivedKey::kFederatedProvider:
    case DerivedKey::kPrincipalOrgId:
    case DerivedKey::kSourceIdentity:
    case DerivedKey::kMultiFactorAuthPresent:
    case DerivedKey::kMultiFactorAuthAge:
      return true;
    case DerivedKey::kNone:
    case DerivedKey::kSourceIp:
    case DerivedKey::kSecureTransport:
    case DerivedKey::kRequestedRegion:
    case DerivedKey::kViaAwsService:
    case DerivedKey::kCurrentTime:
    case DerivedKey::kEpochTime:
      return false;
  }
  return false;
}

ContextKeyRef compile_context_key(std::string_view name) {
  ContextKeyRef ref;
  ref.name = std::string(name);
  ref.derived = derived_key_named(name);
  if (ref.derived == DerivedKey::kPrincipalTag) ref.tag = std::string(name.substr(kPrincipalTagPrefix.size()));
  return ref;
}

ContextValues lookup_context_key(const RequestContext& ctx, const ContextKeyRef& key) {
  if (!ctx.context_keys.empty()) {
    const auto it = ctx.context_keys.find(std::string_view(key.name));
    if (it != ctx.context_keys.end()) return ContextValues(it->second);
  }
  const PrincipalFacts& p = ctx.principal;
  switch (key.derived) {
    case DerivedKey::kNone: return {};
    case DerivedKey::kUserName:
      return p.kind == PrincipalKind::kUser ? one_or_none(p.user_name) : ContextValues();
    case DerivedKey::kUserId: return one_or_none(p.user_id);
    case DerivedKey::kPrincipalArn:
      // A role session's aws:PrincipalArn is the role, not the session.
      if (p.kind == PrincipalKind::kAssumedRole && !p.role_arn.empty()) return ContextValues(p.role_arn);
      if (p.kind == PrincipalKind::kService || p.kind == PrincipalKind::kAnonymous ||
          p.kind == PrincipalKind::kWebIdentity)
        return {};
      return one_or_none(p.arn);
    case DerivedKey::kPrincipalAccount: return one_or_none(p.account);
    case DerivedKey::kPrincipalType: return one_or_none(principal_type_name(p.kind));
    case DerivedKey::kPrincipalTag: {
      if (auto it = p.session_tags.find(std::string_view(key.tag)); it != p.session_tags.end())
        return ContextValues(std::string_view(it->second));
      if (auto it = p.principal_tags.find(std::string_view(key.tag)); it != p.principal_tags.end())
        return ContextValues(std::string_view(it->second));
      return {};
    }
    case DerivedKey::kPrincipalIsAwsService:
      return ContextValues(p.kind == PrincipalKind::kService ? std::string_view("true")
                                                             : std::string_view("false"));
    case DerivedKey::kPrincipalServiceName:
      return p.kind == PrincipalKind::kService ? one_or_none(p.service) : ContextValues();
    case DerivedKey::kFederatedProvider: return one_or_none(p.federated_provider);
    case DerivedKey::kPrincipalOrgId: return one_or_none(p.organization_id);
    case DerivedKey::kSourceIdentity: return one_or_none(p.source_identity);
    case DerivedKey::kMultiFactorAuthPresent: return boolean(p.multi_factor_auth_present);
    case DerivedKey::kMultiFactorAuthAge:
      return p.multi_factor_auth_present.value_or(false) ? ContextValues(std::string_view("0")) : ContextValues();
    case DerivedKey::kSourceIp: return one_or_none(ctx.facts.source_ip);
    case DerivedKey::kSecureTransport: return boolean(ctx.facts.secure_transport);
    case DerivedKey::kRequestedRegion: return one_or_none(ctx.facts.requested_region);
    case DerivedKey::kViaAwsService: return boolean(ctx.facts.via_aws_service);
    case DerivedKey::kCurrentTime: return one_or_none(ctx.facts.current_time);
    case DerivedKey::kEpochTime: return one_or_none(ctx.facts.epoch_time);
  }
  return {};
}

}  // namespace terrarium::auth
