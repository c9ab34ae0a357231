#pragma once
// Enforcement (--enforce-iam): before a handler runs, the request's caller
// must be allowed the operation's declared access (services/access.hpp) by
// AWS's policy evaluation (auth/policy_evaluation.hpp) over every policy
// that applies: the caller's identity policies, permissions boundary and
// session policies (IAM), the SCPs of its account (Organizations), and the
// resource's own policy.
//
// What a caller's policies are is cached per credential and thrown away
// whenever a request that changed IAM or Organizations state commits, so
// that a decision costs a lookup and an evaluation, not a store read. When
// none of those policies reads anything of a request but its action and
// resource (no conditions; no variables but the principal's own), the
// decisions themselves are remembered, by credential, action and resource:
// a repeated decision is one lookup. Each worker thread keeps its own
// caches, so that a hit takes no lock and writes nothing that other threads
// write too; the price is that each thread reads a principal's policies
// once per change.
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "auth/policy_evaluation.hpp"
#include "core/context.hpp"
#include "core/string_map.hpp"
#include "core/value.hpp"
#include "protocol/model.hpp"
#include "services/registry.hpp"
#include "store/store.hpp"

namespace terrarium::services {

// What applies to one caller, whatever it asks.
struct PrincipalPermissions {
  // Identity policies, boundary, session policies and SCPs; no resource policy.
  auth::PolicySet policies;
  auth::TagMap tags;
  std::string organization_id;  // aws:PrincipalOrgID; empty outside an organization
  // Set when `policies` read nothing but the principal (auth::reads_only_principal).
  bool decisions_reusable = false;
};

class Authorizer {
 public:
  explicit Authorizer(store::Store& store);

  // Throws the service's AccessDenied error unless the caller may perform
  // the operation on what it declares.
  void authorize(Context& ctx, const protocol::ServiceModel& model, const Implementation& impl,
                 const Value& input);

  // Forget every cached principal: IAM or Organizations state changed.
  void invalidate() { generation_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  // The caller's permissions from this thread's cache, read afresh when
  // missing or older than the last change to IAM or Organizations.
  const PrincipalPermissions& permissions(const Context& ctx, uint64_t generation);
  PrincipalPermissions read_permissions(const Context& ctx) const;
  // The access `impl` declares for this input, with the action filled in.
  AccessRequest describe(Context& ctx, const Implementation& impl, const Value& input) const;
  // The decision for one resource of a described request, with what was
  // known at `generation`.
  auth::Decision decide(const Context& ctx, const AccessRequest& request, const std::string& resource,
                        uint64_t generation);

  store::Store& store_;
  // Names this Authorizer in the threads' caches, which outlive it: never reused.
  const uint64_t id_;
  std::atomic<uint64_t> generation_{0};
};

// "iam", "sts", "elasticloadbalancing": the prefix of a service's IAM actions.
std::string_view iam_action_prefix(std::string_view service);

}  // namespace terrarium::services
