#pragma once
// IAM's state in the store and what its operations share. IAM is global:
// everything lives under the account, in "iam/<account>/<kind>", keyed by the
// lower-cased name because IAM names are unique regardless of case. Each
// document holds the output shape's members (UserName, Arn, ...) plus
// internal members in lower case (attached, inline, groups, ...).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy.hpp"
#include "core/ascii.hpp"
#include "core/aws_error.hpp"
#include "core/context.hpp"
#include "core/value.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// One kind of named IAM entity: its namespace, its ARN resource type and the
// way AWS words "not found" and "already exists" for it.
struct EntityKind {
  std::string_view ns;         // "users"
  std::string_view arn_type;   // "user"
  std::string_view name_member;  // "UserName"
  std::string_view id_prefix;  // "AIDA"
  std::string_view noun;       // "user", for messages
};
extern const EntityKind kUser;
extern const EntityKind kGroup;
extern const EntityKind kRole;
extern const EntityKind kInstanceProfile;
extern const EntityKind kServerCertificate;

inline constexpr std::string_view kPoliciesNs = "policies";
inline constexpr std::string_view kAccessKeysNs = "access-keys";
inline constexpr std::string_view kAccountNs = "account";

// "iam/<account>/<kind>".
std::string ns(const Context& ctx, std::string_view kind);
// Whole seconds, as IAM's CreateDate shows them.
int64_t now_seconds();
std::string new_id(std::string_view prefix);
// arn:aws:iam::<account>:<type><path><name>
std::string make_arn(const Context& ctx, std::string_view type, std::string_view path, std::string_view name);

AwsError no_such_entity(const std::string& message);
AwsError already_exists(const std::string& message);
AwsError delete_conflict(const std::string& message);
AwsError limit_exceeded(const std::string& message);
AwsError invalid_input(const std::string& message);

// The entity named `name`, or NoSuchEntity in AWS's words.
Object load(store::Transaction& txn, const Context& ctx, const EntityKind& kind, std::string_view name);
std::optional<Object> find(store::Transaction& txn, const Context& ctx, const EntityKind& kind,
                           std::string_view name);
// find() without a copy, for a reader that only looks; null when absent.
std::shared_ptr<const Value> peek(store::Transaction& txn, const Context& ctx, const EntityKind& kind,
                                  std::string_view name);
void save(store::Transaction& txn, const Context& ctx, const EntityKind& kind, const Object& doc);
// Every entity of a kind in the account.
std::vector<Object> load_all(store::Transaction& txn, const Context& ctx, const EntityKind& kind);
// A new entity's common members; throws EntityAlreadyExists when taken.
Object create_entity(store::Transaction& txn, const Context& ctx, const EntityKind& kind,
                     const std::string& name, const std::string& path);

// Members of `doc` copied into a new object (absent ones skipped).
Object pick(const Object& doc, std::initializer_list<std::string_view> members);
// The name of the doc.
std::string name_of(const Object& doc, const EntityKind& kind);

// Policy documents leave IAM percent-encoded; boto3 decodes them back.
std::string encode_document(std::string_view document);

// Policy documents are checked by auth's policy compiler, the one the
// evaluation uses, so that IAM accepts exactly what it can enforce.
using auth::PolicyKind;
// Throws MalformedPolicyDocument with IAM's message.
void validate_policy_document(const std::string& document, PolicyKind kind);
// AWS measures policy sizes without whitespace outside strings.
size_t policy_size(const std::string& document);
// Throws LimitExceeded "Cannot exceed quota for <quota>: <limit>".
void check_policy_size(const std::string& document, size_t limit, const std::string& quota);

// Input members.
std::string required_string(const Value& input, std::string_view member);
std::string path_of(const Value& input);  // Path, "/" by default
// Items whose Path starts with the input's PathPrefix.
bool matches_prefix(const Value& input, const Object& doc);

// Tag lists: Tags of the input merged into `tags` (AWS's 50-tag limit and
// duplicate check); keys removed; tags as KeyedItems for ListXTags.
void merge_tags(Array& tags, const Value& input_tags);
void remove_tags(Array& tags, const Value& keys);
Array& tags_of(Object& doc);

// Managed policy references kept on users, groups and roles ("attached").
Array& attached_of(Object& doc);
// Inline policies: {name: document}.
Object& inline_of(Object& doc);

// The caller's own user name when the input names none, for the
// operations that default to the calling user.
std::optional<std::string> user_name_or_caller(const Context& ctx, const Value& input);

}  // namespace terrarium::services::iam

namespace terrarium::services::iam {
// ListXTags's answer: {Tags, IsTruncated, Marker}.
Object paged_tags(const Value& input, const Array& tags);
}  // namespace terrarium::services::iam
