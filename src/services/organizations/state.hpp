#pragma once
// AWS Organizations' state in the store. Organizations is global and an
// organization belongs to its management account, yet every member account
// sees it: "organizations/members" maps an account id to its organization,
// and everything of an organization lives under "organizations/<o-id>/<kind>".
// Handshakes are global ("organizations/handshakes") because the invited
// account is in no organization yet when it lists them.
//
// Documents hold the output shape's members (Id, Arn, Name, ...) plus
// internal members in lower case (parent, organization, ...).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/aws_error.hpp"
#include "core/context.hpp"
#include "core/value.hpp"
#include "services/pagination.hpp"
#include "store/store.hpp"

namespace terrarium::services::organizations {

inline constexpr std::string_view kOrgsNs = "organizations/orgs";
inline constexpr std::string_view kMembersNs = "organizations/members";
inline constexpr std::string_view kHandshakesNs = "organizations/handshakes";

// Kinds under "organizations/<o-id>/".
inline constexpr std::string_view kRoots = "roots";
inline constexpr std::string_view kOus = "ous";
inline constexpr std::string_view kAccounts = "accounts";
inline constexpr std::string_view kPolicies = "policies";
inline constexpr std::string_view kAttachments = "attachments";  // "<target>/<policy>"
inline constexpr std::string_view kCreateStatus = "create-account";
inline constexpr std::string_view kDelegated = "delegated";      // "<account>/<service principal>"
inline constexpr std::string_view kTags = "tags";                // resource id -> {Tags}

inline constexpr std::string_view kScp = "SERVICE_CONTROL_POLICY";
inline constexpr std::string_view kRcp = "RESOURCE_CONTROL_POLICY";
inline constexpr std::string_view kFullAccessScp = "p-FullAWSAccess";
inline constexpr std::string_view kFullAccessRcp = "p-RCPFullAWSAccess";

std::string ns(std::string_view org_id, std::string_view kind);

double now();
// `length` random characters of [a-z0-9].
std::string random_id(size_t length);

// --- errors, in AWS's words
AwsError error(const std::string& code, const std::string& message);
AwsError invalid_input(const std::string& reason, const std::string& message);
AwsError constraint(const std::string& reason, const std::string& message);
AwsError not_in_use();
AwsError access_denied();
AwsError account_not_found();
AwsError policy_not_found();
AwsError target_not_found();
AwsError parent_not_found();

// --- the organization a request works on
struct Org {
  Object doc;
  std::string id;
  std::string management;  // account id
  std::string root_id;
  bool all_features() const;
};

std::optional<Org> find_org_of(store::Transaction& txn, std::string_view account_id);
// The caller's organization; AWSOrganizationsNotInUseException when none.
Org require_org(store::Transaction& txn, const Context& ctx);
// Only the management account: AccessDeniedException for members.
Org require_management(store::Transaction& txn, const Context& ctx);
// The management account or a delegated administrator (read-only operations).
Org require_reader(store::Transaction& txn, const Context& ctx);
void save_org(store::Transaction& txn, const Org& org);

// ARNs: arn:aws:organizations::<management>:<type>/<o-id>/<rest>
std::string arn(const Org& org, std::string_view type, std::string_view rest);
std::string account_arn(const Org& org, std::string_view account_id);
std::string policy_arn(const Org& org, std::string_view type, std::string_view policy_id);

// --- documents of an organization
std::optional<Object> get_doc(store::Transaction& txn, const Org& org, std::string_view kind, std::string_view id);
void put_doc(store::Transaction& txn, const Org& org, std::string_view kind, std::string_view id, const Object& doc);
std::vector<Object> all_docs(store::Transaction& txn, const Org& org, std::string_view kind);

Object load_account(store::Transaction& txn, const Org& org, std::string_view account_id);
Object load_policy(store::Transaction& txn, const Org& org, std::string_view policy_id);
Object root_doc(store::Transaction& txn, const Org& org);

// What each output shows of an account (also the DelegatedAdministrator base).
Object account_view(const Object& doc);
Object policy_summary(const Object& doc);
Object ou_view(const Object& doc);

// A root, OU or account: what policies attach to and tags name.
struct Target {
  std::string id;
  std::string type;  // ROOT, ORGANIZATIONAL_UNIT, ACCOUNT
  Object doc;
};
std::optional<Target> find_target(store::Transaction& txn, const Org& org, std::string_view id);
// A root or OU, as a parent.
std::optional<Target> find_parent(store::Transaction& txn, const Org& org, std::string_view id);
// Its parent's id ("" for the root).
std::string parent_of(const Target& t);
// Root first, down to the target itself.
std::vector<Target> path_to(store::Transaction& txn, const Org& org, const Target& target);

// Whether a policy type is enabled on the root.
bool type_enabled(const Object& root, std::string_view type);

// Policy attachments.
struct Attachment {
  std::string target;
  std::string policy;
  std::string type;
};
std::vector<Attachment> attachments(store::Transaction& txn, const Org& org);
void attach(store::Transaction& txn, const Org& org, std::string_view target, std::string_view policy,
            std::string_view type);
void detach(store::Transaction& txn, const Org& org, std::string_view target, std::string_view policy);
// Removes every attachment to `target` (a removed account or deleted OU).
void detach_all(store::Transaction& txn, const Org& org, std::string_view target);
// The AWS managed full-access policy of a type (SCP, RCP) attached to a new
// OU or account when the type is enabled.
void attach_defaults(store::Transaction& txn, const Org& org, std::string_view target);

// The AWS managed policy of a type (FullAWSAccess for SCPs, RCPFullAWSAccess
// for RCPs) in the organization's policies, created on first use.
void ensure_aws_managed_policy(store::Transaction& txn, const Org& org, std::string_view type);
// The Organization output shape.
Object organization_view(const Org& org);

// Tags of a resource (root, OU, account, policy, resource policy).
Array tags_of(store::Transaction& txn, const Org& org, std::string_view resource_id);
void set_tags(store::Transaction& txn, const Org& org, std::string_view resource_id, const Array& tags);
// Input tags merged into `tags`, with AWS's duplicate and count checks.
void merge_tags(Array& tags, const Value& input_tags);

// Membership index.
void add_member(store::Transaction& txn, std::string_view account_id, std::string_view org_id);
void remove_member(store::Transaction& txn, std::string_view account_id);

// Pagination: NextToken/MaxResults, at most 20 a page as AWS's model allows.
Object paged(const Value& input, std::vector<KeyedItem> items, std::string_view list_member);

std::string required(const Value& input, std::string_view member);

}  // namespace terrarium::services::organizations
