#include "services/iam/principal_policies.hpp"

#include "auth/iam_arn.hpp"
#include "auth/policy.hpp"
#include "services/iam/aws_managed_policies.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

namespace {

std::string entity_ns(std::string_view account, std::string_view kind) {
  return "iam/" + std::string(account) + "/" + std::string(kind);
}

// Managed policy `arn` as seen from `account`: its name and the default
// version's document.
struct ManagedPolicy {
  std::string name;
  std::string document;
};

std::optional<ManagedPolicy> managed_policy(store::Transaction& txn, std::string_view account, std::string_view arn) {
  if (const auto* aws = find_aws_managed_policy(arn)) return ManagedPolicy{aws->name, aws->document};
  const auto slash = arn.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto doc = txn.get(entity_ns(account, kPoliciesNs), ascii_lower(arn.substr(slash + 1)));
  if (!doc || doc->at("Arn").as_string() != arn) return std::nullopt;
  const auto& policy = doc->as_object();
  const auto& default_version = policy.at("DefaultVersionId");
  for (const auto& v : policy.at("versions").as_array())
    if (v.at("VersionId") == default_version)
      return ManagedPolicy{std::string(policy.at("PolicyName").as_string()), std::string(v.at("Document").as_string())};
  return std::nullopt;
}

void add_managed(store::Transaction& txn, std::string_view account, const Value& arns,
                 std::vector<auth::PolicyPtr>& out, PrincipalPolicies& sources) {
  if (!arns.is_array()) return;
  for (const auto& arn_value : arns.as_array()) {
    const std::string arn(arn_value.as_string());
    if (auto managed = managed_policy(txn, account, arn)) {
      auto policy = auth::Policy::compile_stored(managed->document, auth::PolicyKind::kIdentity, arn);
      sources.sources[policy.get()] = {find_aws_managed_policy(arn) ? "aws-managed" : "user-managed",
                                       managed->name, arn, ""};
      out.push_back(std::move(policy));
    }
  }
}

void add_inline(const Object& entity, std::string_view source_type, std::string_view entity_name,
                PrincipalPolicies& out) {
  const auto* policies = entity.if_contains("inline");
  if (!policies || !policies->is_object()) return;
  for (const auto& [name, document] : policies->as_object()) {
    auto policy = auth::Policy::compile_stored(document.as_string(), auth::PolicyKind::kIdentity, std::string(name));
    out.sources[policy.get()] = {std::string(source_type), std::string(name), "", std::string(entity_name)};
    out.identity.push_back(std::move(policy));
  }
}

void add_group(store::Transaction& txn, std::string_view account, const Object& group, PrincipalPolicies& out) {
  add_inline(group, "group", group.at("GroupName").as_string(), out);
  if (const auto* attached = group.if_contains("attached")) add_managed(txn, account, *attached, out.identity, out);
}

// An entity's own policies, boundary and tags.
void add_entity(store::Transaction& txn, std::string_view account, const Object& entity,
                std::string_view source_type, PrincipalPolicies& out) {
  const char* name_member = source_type == "user" ? "UserName" : "RoleName";
  const auto* name = entity.if_contains(name_member);
  add_inline(entity, source_type, name && name->is_string() ? name->get_string() : "", out);
  if (const auto* attached = entity.if_contains("attached")) add_managed(txn, account, *attached, out.identity, out);
  if (const auto* boundary = entity.if_contains("PermissionsBoundary")) {
    const std::string arn(boundary->at("PermissionsBoundaryArn").as_string());
    // A boundary that is gone allows nothing.
    auto managed = managed_policy(txn, account, arn);
    out.permissions_boundary = managed ? auth::Policy::compile_stored(managed->document, auth::PolicyKind::kIdentity, arn)
                                       : auth::Policy::allow_nothing(auth::PolicyKind::kIdentity, arn);
  }
  if (const auto* tags = entity.if_contains("Tags"); tags && tags->is_array())
    for (const auto& tag : tags->as_array())
      out.tags[std::string(tag.at("Key").as_string())] = std::string(tag.at("Value").as_string());
}

void add_user(store::Transaction& txn, std::string_view user_arn, PrincipalPolicies& out) {
  auto parts = auth::parse_iam_arn(user_arn);
  if (!parts) return;
  auto user = txn.get(entity_ns(parts->account, kUser.ns), ascii_lower(parts->name));
  if (!user) return;
  add_entity(txn, parts->account, user->as_object(), "user", out);
  if (const auto* groups = user->as_object().if_contains("groups"); groups && groups->is_array())
    for (const auto& group_key : groups->as_array())
      if (auto group = txn.get(entity_ns(parts->account, kGroup.ns), std::string(group_key.as_string())))
        add_group(txn, parts->account, group->as_object(), out);
}

void add_session_policies(store::Transaction& txn, const Caller& caller, PrincipalPolicies& out) {
  if (caller.session_policy.empty() && caller.session_policy_arns.empty()) return;
  // All session policies together form one limit: AWS intersects the
  // identity permissions with their union.
  if (!caller.session_policy.empty())
    out.session.push_back(auth::Policy::compile_stored(caller.session_policy, auth::PolicyKind::kIdentity, "session policy"));
  Array arns;
  for (const auto& arn : caller.session_policy_arns) arns.emplace_back(arn);
  add_managed(txn, caller.account_id, arns, out.session, out);
  if (out.session.empty())
    out.session.push_back(auth::Policy::allow_nothing(auth::PolicyKind::kIdentity, "session policy"));
}

}  // namespace

std::optional<PrincipalPolicies> entity_policies(store::Transaction& txn, std::string_view arn) {
  auto parts = auth::parse_iam_arn(arn);
  if (!parts) return std::nullopt;
  PrincipalPolicies out;
  if (parts->type == "user") {
    auto user = txn.get(entity_ns(parts->account, kUser.ns), ascii_lower(parts->name));
    if (!user || user->at("Arn").as_string() != arn) return std::nullopt;
    add_user(txn, arn, out);
  } else if (parts->type == "role") {
    auto role = find_role_by_arn(txn, arn);
    if (!role) return std::nullopt;
    add_entity(txn, parts->account, *role, "role", out);
  } else if (parts->type == "policy") {
    if (!managed_policy(txn, parts->account, arn)) return std::nullopt;
    add_managed(txn, parts->account, Array{Value(arn)}, out.identity, out);
  } else if (parts->type == "group") {
    auto group = txn.get(entity_ns(parts->account, kGroup.ns), ascii_lower(parts->name));
    if (!group || group->at("Arn").as_string() != arn) return std::nullopt;
    add_group(txn, parts->account, group->as_object(), out);
  } else {
    return std::nullopt;
  }
  return out;
}

std::optional<Object> find_role_by_arn(store::Transaction& txn, std::string_view role_arn) {
  auto parts = auth::parse_iam_arn(role_arn);
  if (!parts) return std::nullopt;
  auto role = txn.get(entity_ns(parts->account, kRole.ns), ascii_lower(parts->name));
  if (!role || role->at("Arn").as_string() != role_arn) return std::nullopt;
  return std::move(role->as_object());
}

std::optional<auth::PolicyPtr> trust_policy_of(store::Transaction& txn, std::string_view role_arn) {
  auto role = find_role_by_arn(txn, role_arn);
  if (!role) return std::nullopt;
  const auto* document = role->if_contains("AssumeRolePolicyDocument");
  if (!document || !document->is_string()) return auth::Policy::allow_nothing(auth::PolicyKind::kTrust, std::string(role_arn));
  return auth::Policy::compile_stored(document->as_string(), auth::PolicyKind::kTrust, std::string(role_arn));
}

PrincipalPolicies principal_policies(store::Transaction& txn, const Caller& caller) {
  PrincipalPolicies out;
  switch (caller.type) {
    case PrincipalType::kUser: add_user(txn, caller.arn, out); break;
    case PrincipalType::kAssumedRole:
      if (auto role = find_role_by_arn(txn, caller.role_arn)) add_entity(txn, caller.account_id, *role, "role", out);
      break;
    case PrincipalType::kFederatedUser:
      // The parent user's permissions, limited by the session policies; a
      // root parent holds every permission, which the session policies limit.
      // Without a session policy the session may do nothing, as AWS has it.
      if (caller.session_policy.empty() && caller.session_policy_arns.empty())
        out.session.push_back(auth::Policy::allow_nothing(auth::PolicyKind::kIdentity, "session policy"));
      if (caller.parent_user_arn.find(":user/") != std::string::npos) add_user(txn, caller.parent_user_arn, out);
      else if (!caller.parent_user_arn.empty())
        out.identity.push_back(auth::Policy::compile_shared(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
                                       auth::PolicyKind::kIdentity, "root"));
      break;
    case PrincipalType::kRoot:
    case PrincipalType::kAnonymous: break;
  }
  add_session_policies(txn, caller, out);
  return out;
}

}  // namespace terrarium::services::iam
