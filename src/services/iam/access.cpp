#include "services/iam/access.hpp"

#include "services/iam/providers.hpp"
#include "services/iam/roles.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

namespace {

// The ARN of the entity `name` of `kind`: its own when it exists, else the
// one `path` (the create's Path, "/" otherwise) would give it. `found`, if
// given, keeps the entity (null when there is none).
std::string entity_arn(Context& ctx, const EntityKind& kind, const std::string& name, const std::string& path,
                       std::shared_ptr<const Value>* found = nullptr) {
  std::shared_ptr<const Value> doc = peek(ctx.read_txn(), ctx, kind, name);
  std::string arn = doc ? std::string(doc->at("Arn").as_string()) : make_arn(ctx, kind.arn_type, path, name);
  if (found) *found = std::move(doc);
  return arn;
}

void add_keys(AccessRequest& r, const Value& input, unsigned keys, const Object* entity) {
  const auto& in = input.as_object();
  if (keys & kRequestTags) {
    if (const auto* tags = in.if_contains("Tags")) add_request_tags(r, *tags);
  }
  if (keys & kTagKeys) {
    if (const auto* tag_keys = in.if_contains("TagKeys"); tag_keys && tag_keys->is_array()) {
      std::vector<std::string> names;
      for (const auto& k : tag_keys->as_array())
        if (k.is_string()) names.emplace_back(k.as_string());
      if (!names.empty()) r.keys["aws:TagKeys"] = std::move(names);
    }
  }
  if (keys & kPolicyArn) {
    if (auto arn = get_string(input, "PolicyArn")) r.keys["iam:PolicyARN"] = {*arn};
  }
  if (keys & kBoundaryArnKey) {
    if (auto arn = get_string(input, "PermissionsBoundary")) r.keys["iam:PolicyARN"] = {*arn};
  }
  if (keys & kBoundaryInput) {
    if (auto arn = get_string(input, "PermissionsBoundary")) r.keys["iam:PermissionsBoundary"] = {*arn};
  }
  if ((keys & kBoundaryCurrent) && entity) {
    if (const auto* b = entity->if_contains("PermissionsBoundary"); b && b->is_object())
      if (const auto* arn = b->as_object().if_contains("PermissionsBoundaryArn"))
        r.keys["iam:PermissionsBoundary"] = {std::string(arn->as_string())};
  }
}

// A named entity, plus its new name when the operation renames it (both
// must be allowed, as AWS requires for UpdateUser and UpdateGroup).
Access named(const EntityKind& kind, std::string_view new_name_member, unsigned keys) {
  return Access::on([&kind, new_name_member = std::string(new_name_member), keys](
                        Context& ctx, const Value& input, AccessRequest& r) {
    auto name = get_string(input, kind.name_member);
    if (!name && &kind == &kUser) name = user_name_or_caller(ctx, input);
    std::shared_ptr<const Value> found;
    const Object* entity = nullptr;
    if (name) {
      r.resources.push_back(entity_arn(ctx, kind, *name, path_of(input), &found));
      if (found) entity = &found->as_object();
      if (!new_name_member.empty()) {
        if (auto new_name = get_string(input, new_name_member); new_name && ascii_lower(*new_name) != ascii_lower(*name)) {
          std::string path = get_string(input, "NewPath")
                                 .value_or(entity ? std::string(entity->at("Path").as_string()) : "/");
          r.resources.push_back(make_arn(ctx, kind.arn_type, path, *new_name));
        }
      }
    }
    add_keys(r, input, keys, entity);
    // An existing user's or role's tags: aws:ResourceTag/<k> (and IAM's own
    // iam:ResourceTag/<k>) in conditions on it.
    if (entity) {
      if (const auto* tags = entity->if_contains("Tags")) {
        add_resource_tags(r, *tags);
        add_resource_tags(r, *tags, "iam:ResourceTag/");
      }
    }
  });
}

std::string account_root(const Context& ctx) { return "arn:aws:iam::" + ctx.caller.account_id + ":root"; }

}  // namespace

Access user_access(unsigned keys) { return named(kUser, "NewUserName", keys); }
Access group_access(unsigned keys) { return named(kGroup, "NewGroupName", keys); }
Access role_access(unsigned keys) { return named(kRole, "", keys); }
Access instance_profile_access(unsigned keys) { return named(kInstanceProfile, "", keys); }
Access server_certificate_access(unsigned keys) {
  return named(kServerCertificate, "NewServerCertificateName", keys);
}

Access policy_access(unsigned keys) {
  return Access::on([keys](Context& ctx, const Value& input, AccessRequest& r) {
    if (auto arn = get_string(input, "PolicyArn")) r.resources.push_back(*arn);
    else if (auto name = get_string(input, "PolicyName"))
      r.resources.push_back(make_arn(ctx, "policy/", path_of(input), *name));
    add_keys(r, input, keys, nullptr);
  });
}

Access mfa_access(unsigned keys) {
  return Access::on([keys](Context& ctx, const Value& input, AccessRequest& r) {
    if (auto serial = get_string(input, "SerialNumber")) r.resources.push_back(*serial);
    else if (auto name = get_string(input, "VirtualMFADeviceName"))
      r.resources.push_back(make_arn(ctx, "mfa/", path_of(input), *name));
    add_keys(r, input, keys, nullptr);
  });
}

Access oidc_provider_access(unsigned keys) {
  return Access::on([keys](Context& ctx, const Value& input, AccessRequest& r) {
    if (auto arn = get_string(input, "OpenIDConnectProviderArn")) r.resources.push_back(*arn);
    else if (auto url = get_string(input, "Url")) r.resources.push_back(oidc_provider_arn(ctx, *url));
    add_keys(r, input, keys, nullptr);
  });
}

Access saml_provider_access(unsigned keys) {
  return Access::on([keys](Context& ctx, const Value& input, AccessRequest& r) {
    if (auto arn = get_string(input, "SAMLProviderArn")) r.resources.push_back(*arn);
    else if (auto name = get_string(input, "Name")) r.resources.push_back(make_arn(ctx, "saml-provider/", "/", *name));
    add_keys(r, input, keys, nullptr);
  });
}

Access arn_member_access(std::string_view member) {
  return Access::on([member = std::string(member)](Context&, const Value& input, AccessRequest& r) {
    if (auto arn = get_string(input, member)) r.resources.push_back(*arn);
  });
}

Access service_linked_role_access() {
  return Access::on([](Context& ctx, const Value& input, AccessRequest& r) {
    const std::string service = get_string(input, "AWSServiceName").value_or("");
    const std::string name = service_linked_role_name(service, get_string(input, "CustomSuffix").value_or(""));
    r.resources.push_back(make_arn(ctx, "role/", "/aws-service-role/" + service + "/", name));
    r.keys["iam:AWSServiceName"] = {service};
  });
}

Access deletion_task_access() {
  return Access::on([](Context& ctx, const Value& input, AccessRequest& r) {
    // task/aws-service-role/<service>/<role name>/<uuid>
    const std::string id = get_string(input, "DeletionTaskId").value_or("");
    const auto last = id.rfind('/');
    const std::string prefix = "task/";
    if (last == std::string::npos || id.rfind(prefix, 0) != 0) return;
    const std::string role_path_name = id.substr(prefix.size(), last - prefix.size());
    r.resources.push_back("arn:aws:iam::" + ctx.caller.account_id + ":role/" + role_path_name);
  });
}

Access access_key_owner_access() {
  return Access::on([](Context& ctx, const Value& input, AccessRequest& r) {
    const std::string id = get_string(input, "AccessKeyId").value_or("");
    auto key = ctx.read_txn().get(ns(ctx, kAccessKeysNs), id);
    if (!key) return;
    const auto* user = key->as_object().if_contains("UserName");
    if (!user) {
      r.resources.push_back(account_root(ctx));
      return;
    }
    r.resources.push_back(entity_arn(ctx, kUser, std::string(user->as_string()), "/"));
  });
}

}  // namespace terrarium::services::iam
