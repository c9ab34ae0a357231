#include "services/authorization.hpp"

#include "auth/policy.hpp"
#include "core/aws_error.hpp"
#include "core/thread_cache.hpp"
#include "core/time_format.hpp"
#include "services/iam/principal_policies.hpp"
#include "services/organizations/policy_source.hpp"

namespace terrarium::services {

namespace {

// Cached principals are few (one per credential in use); past this many a
// thread's cache starts over rather than growing without bound.
constexpr size_t kMaxCachedPrincipals = 10000;
// Likewise for the decisions a thread remembers.
constexpr size_t kMaxRememberedDecisions = 65536;

// One caller's permissions as a worker thread has them.
struct CachedPrincipal {
  uint64_t generation = 0;  // the Authorizer's generation they were read at
  PrincipalPermissions permissions;
};

// A decision taken with permissions whose decisions are reusable.
struct RememberedDecision {
  uint64_t generation = 0;  // the Authorizer's generation it was taken at
  auth::Decision decision;
};

// What a worker thread keeps for one Authorizer (core/thread_cache.hpp).
struct ThreadCache {
  StringMap<CachedPrincipal> principals;    // by caller key
  StringMap<RememberedDecision> decisions;  // by caller key, action and resource
};

// What identifies a caller's permissions. Root keys name only the account;
// issued keys are unique per credential (and so per set of session policies).
// Built in a per-thread buffer: every enforced request looks one up.
std::string_view caller_key(const Caller& caller) {
  thread_local std::string key;
  return join_key(key, '\n', {caller.access_key_id, caller.arn});
}

std::string_view decision_key(const Caller& caller, std::string_view action, std::string_view resource) {
  thread_local std::string key;
  return join_key(key, '\n', {caller_key(caller), action, resource});
}

// The error AWS answers with when a service denies, in the service's words:
// the access-denied error its model declares (AccessDeniedException,
// AccessDenied, SNS's AuthorizationError), else its protocol family's.
AwsError access_denied(const protocol::ServiceModel& model, const AccessRequest& request, std::string message) {
  if (!request.denied_code.empty()) return AwsError(request.denied_code, std::move(message), 403);
  const bool json = model.protocol() == "json" || model.protocol() == "rest-json" ||
                    model.protocol() == "smithy-rpc-v2-cbor";
  for (std::string_view name : {"AccessDeniedException", "AccessDenied", "AuthorizationErrorException"}) {
    const auto* shape = model.shapes().if_contains(name);
    if (!shape) continue;
    std::string code(name);
    int status = json ? 400 : 403;
    if (const auto* error = shape->as_object().if_contains("error"); error && error->is_object()) {
      if (const auto* c = error->as_object().if_contains("code")) code = std::string(c->as_string());
      if (const auto* s = error->as_object().if_contains("httpStatusCode"))
        status = static_cast<int>(s->to_number<int64_t>());
    }
    return AwsError(code, std::move(message), status);
  }
  if (model.protocol() == "ec2") return AwsError("UnauthorizedOperation", std::move(message), 403);
  if (json) return AwsError("AccessDeniedException", std::move(message), 400);
  return AwsError("AccessDenied", std::move(message), 403);
}

void set_request_facts(const Context& ctx, const PrincipalPermissions& permissions,
                       auth::RequestContext& request) {
  if (ctx.request) {
    request.facts.source_ip = ctx.request->remote_ip;
    request.facts.secure_transport = ctx.request->secure;
  }
  request.facts.requested_region = ctx.region;
  request.facts.via_aws_service = false;
  request.principal.organization_id = permissions.organization_id;
  request.principal.principal_tags = permissions.tags;
}

// A declaration describes the request and its resource, never who asks; a
// key that would override one of the principal's own makes the decision
// the request's alone.
bool keys_leave_principal_alone(const auth::ContextKeys& keys) {
  for (const auto& [key, values] : keys)
    if (auth::describes_principal(auth::derived_key_named(key))) return false;
  return true;
}

}  // namespace

std::string_view iam_action_prefix(std::string_view service) {
  if (service == "elbv2") return "elasticloadbalancing";
  return service;
}

Authorizer::Authorizer(store::Store& store) : store_(store), id_(new_thread_cache_owner()) {}

const PrincipalPermissions& Authorizer::permissions(const Context& ctx, uint64_t generation) {
  ThreadCache& cache = thread_cache<ThreadCache>(id_);
  const std::string_view key = caller_key(ctx.caller);
  const auto it = cache.principals.find(key);
  if (it != cache.principals.end() && it->second.generation == generation) return it->second.permissions;
  // Read before anything is cached: a read that throws leaves no entry.
  std::string owned_key(key);  // the key's buffer is this thread's to reuse
  CachedPrincipal fresh{generation, read_permissions(ctx)};
  if (it != cache.principals.end()) return (it->second = std::move(fresh)).permissions;
  if (cache.principals.size() >= kMaxCachedPrincipals) cache.principals.clear();
  return cache.principals.emplace(std::move(owned_key), std::move(fresh)).first->second.permissions;
}

PrincipalPermissions Authorizer::read_permissions(const Context& ctx) const {
  // Through the request's own transaction when its declaration began one:
  // an in-memory store serves one transaction at a time, and the same
  // snapshot then serves the declaration, the decision and the handler.
  std::unique_ptr<store::Transaction> own;
  store::Transaction& txn = ctx.open_txn ? *ctx.open_txn : *(own = store_.begin_read());
  const Caller& caller = ctx.caller;
  PrincipalPermissions permissions;
  iam::PrincipalPolicies policies = iam::principal_policies(txn, caller);
  permissions.policies.identity = std::move(policies.identity);
  permissions.policies.permissions_boundary = std::move(policies.permissions_boundary);
  permissions.policies.session = std::move(policies.session);
  permissions.tags = std::move(policies.tags);
  if (auto org = organizations::organization_of(txn, caller.account_id)) {
    permissions.organization_id = org->organization_id;
    permissions.policies.scp_exempt = org->management_account == caller.account_id;
    permissions.policies.scps = std::move(org->scp_levels);
  }
  permissions.decisions_reusable = auth::reads_only_principal(permissions.policies);
  return permissions;
}

AccessRequest Authorizer::describe(Context& ctx, const Implementation& impl, const Value& input) const {
  AccessRequest request;
  request.action.append(iam_action_prefix(ctx.service));
  request.action.push_back(':');
  request.action.append(ctx.operation);
  if (impl.access.describe) {
    const bool had_txn = ctx.open_txn != nullptr;
    impl.access.describe(ctx, input, request);
    // A snapshot the declaration began serves a handler that reads, and
    // gives way to one that writes.
    if (!had_txn && ctx.open_txn && ctx.open_txn->read_only()) ctx.snapshot_replaceable = true;
  }
  if (request.resources.empty()) request.resources.emplace_back("*");
  return request;
}

auth::Decision Authorizer::decide(const Context& ctx, const AccessRequest& request, const std::string& resource,
                                  uint64_t generation) {
  ThreadCache& cache = thread_cache<ThreadCache>(id_);
  const bool own_policies_only = !request.resource_policy && request.resource_account.empty();
  // A decision is remembered only when nothing but the caller, the action
  // and the resource went into it (see decisions_reusable).
  const bool reusable = own_policies_only && keys_leave_principal_alone(request.keys);
  std::string_view key;
  if (reusable) {
    key = decision_key(ctx.caller, request.action, resource);
    if (auto it = cache.decisions.find(key); it != cache.decisions.end() && it->second.generation == generation)
      return it->second.decision;
  }
  const PrincipalPermissions& permissions = this->permissions(ctx, generation);
  auth::RequestContext rc = auth::request_context_for(ctx.caller, request.action, resource, now_epoch_seconds());
  set_request_facts(ctx, permissions, rc);
  for (const auto& [name, values] : request.keys) rc.context_keys[name] = values;

  if (own_policies_only) {
    const auth::Decision decision = auth::evaluate(permissions.policies, rc);
    if (reusable && permissions.decisions_reusable) {
      if (cache.decisions.size() >= kMaxRememberedDecisions) cache.decisions.clear();
      cache.decisions.insert_or_assign(std::string(key), RememberedDecision{generation, decision});
    }
    return decision;
  }
  auth::PolicySet policies = permissions.policies;
  policies.resource = request.resource_policy;
  policies.resource_account = request.resource_account;
  return auth::evaluate(policies, rc);
}

void Authorizer::authorize(Context& ctx, const protocol::ServiceModel& model, const Implementation& impl,
                           const Value& input) {
  switch (impl.access.kind) {
    case Access::Kind::kNotRequired: return;
    case Access::Kind::kUndeclared: {
      AccessRequest request;
      throw access_denied(model, request,
                          ctx.service + ":" + ctx.operation +
                              " declares no IAM access in Terrarium, so --enforce-iam refuses it.");
    }
    case Access::Kind::kChecked: break;
  }
  // Before the declaration can open a snapshot: permissions read through it
  // then reflect at least every change this generation counts.
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  const AccessRequest request = describe(ctx, impl, input);
  for (const auto& resource : request.resources) {
    const auth::Decision decision = decide(ctx, request, resource, generation);
    if (decision.allowed()) continue;
    // A trust policy that does not admit the caller: AWS names no reason,
    // so as not to tell a stranger why (or whether the role exists).
    const bool untrusted = decision.policy_type == auth::PolicyType::kResource && request.resource_policy &&
                           request.resource_policy->kind() == auth::PolicyKind::kTrust;
    std::string message = untrusted ? "User: " + ctx.caller.arn + " is not authorized to perform: " +
                                          request.action + " on resource: " + resource
                                    : auth::access_denied_message(ctx.caller.arn, request.action, resource, decision);
    throw access_denied(model, request, std::move(message));
  }
}

}  // namespace terrarium::services
