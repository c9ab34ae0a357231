#pragma once
// What an operation asks IAM to allow, declared next to its handler in the
// service's register.cpp. Under --enforce-iam the dispatcher evaluates every
// request against it before the handler runs; an operation that declares
// nothing is refused, so that nothing slips through unchecked.
//
//   r.add("iam", "GetUser", get_user, Access::on(iam_user_arn));
//   r.add("iam", "ListUsers", list_users, Access::any_resource());
//   r.add("sts", "GetCallerIdentity", get_caller_identity, Access::not_required());
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy_evaluation.hpp"
#include "auth/request_context.hpp"
#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services {

// One request as IAM sees it. The dispatcher fills `action` with
// "<service's IAM prefix>:<Operation>" before the declaration runs, which may
// change it (an operation whose IAM action has another name).
struct AccessRequest {
  std::string action;
  // Every ARN the request touches must be allowed; empty means "*", for
  // actions without resource-level permissions.
  std::vector<std::string> resources;
  // The service's condition keys (iam:PolicyARN, s3:prefix...) and the
  // request's tags (aws:RequestTag/<key>, aws:TagKeys), aws:ResourceTag/<key>.
  auth::ContextKeys keys;
  // A resource-based policy that governs the resource (a role's trust
  // policy, a bucket policy, a key policy), and the account that owns the
  // resource when it is not the caller's.
  auth::PolicyPtr resource_policy;
  std::string resource_account;
  // The error AWS answers instead of AccessDenied for this service, if any
  // ("AccessDeniedException" for JSON services is the dispatcher's default).
  std::string denied_code;
};

// Fills the request's resources and keys from the operation's input. It may
// read the store (ctx.read_txn()) to find a resource's tags or policy, and
// may throw the service's own not-found error.
using AccessFn = std::function<void(Context& ctx, const Value& input, AccessRequest& request)>;

struct Access {
  enum class Kind {
    kUndeclared,   // refused under enforcement
    kNotRequired,  // AWS checks no permission (sts:GetCallerIdentity)
    kChecked,      // the action on the declared resources
  };
  Kind kind = Kind::kUndeclared;
  AccessFn describe;

  // AWS requires no IAM permission for this operation.
  static Access not_required() { return {Kind::kNotRequired, {}}; }
  // The action, on "*": for actions without resource-level permissions.
  static Access any_resource() { return {Kind::kChecked, {}}; }
  // The action on the resources (and with the keys) `describe` names.
  static Access on(AccessFn describe) { return {Kind::kChecked, std::move(describe)}; }
};

// Tags of a request as condition keys: aws:RequestTag/<key> for each tag and
// aws:TagKeys for all keys. `tags` is a list of {Key, Value} (IAM, STS,
// Organizations) as the input holds it.
void add_request_tags(AccessRequest& request, const Value& tags);
// A resource's tags ({Key, Value} list) as aws:ResourceTag/<key>, or under
// a service's own prefix (IAM's "iam:ResourceTag/").
void add_resource_tags(AccessRequest& request, const Value& tags, std::string_view prefix = "aws:ResourceTag/");

}  // namespace terrarium::services
