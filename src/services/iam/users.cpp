// Users: Create/Get/List/Update/Delete, their tags, permissions boundaries
// and login profiles.
#include "services/iam/access_keys.hpp"
#include "core/ids.hpp"
#include "services/iam/managed_policies.hpp"
#include "services/iam/mfa.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/passwords.hpp"
#include "services/iam/state.hpp"
#include "services/iam/user_credentials.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

// What ListUsers shows of a user; GetUser and CreateUser add tags.
Object user_view(const Object& doc, bool with_tags) {
  Object out = pick(doc, {"Path", "UserName", "UserId", "Arn", "CreateDate", "PermissionsBoundary"});
  if (with_tags) {
    if (const auto* tags = doc.if_contains("Tags"); tags && tags->is_array() && !tags->as_array().empty())
      out["Tags"] = *tags;
  }
  return out;
}

}  // namespace

Value create_user(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string name = required_string(input, "UserName");
  Object user = create_entity(txn, ctx, kUser, name, path_of(input));
  if (auto boundary = get_string(input, "PermissionsBoundary"))
    user["PermissionsBoundary"] = use_as_boundary(txn, ctx, *boundary);
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(user), *tags);
  save(txn, ctx, kUser, user);
  return Object{{"User", user_view(user, true)}};
}

Value get_user(Context& ctx, const Value& input) {
  auto name = user_name_or_caller(ctx, input);
  if (!name) {
    // The root user is no IAM user, but GetUser describes it all the same.
    return Object{{"User", Object{{"UserId", ctx.caller.account_id},
                                  {"Arn", "arn:aws:iam::" + ctx.caller.account_id + ":root"},
                                  {"CreateDate", 0}}}};
  }
  return Object{{"User", user_view(load(ctx.read_txn(), ctx, kUser, *name), true)}};
}

Value list_users(Context& ctx, const Value& input) {
  std::vector<KeyedItem> items;
  for (auto& user : load_all(ctx.read_txn(), ctx, kUser))
    if (matches_prefix(input, user)) items.emplace_back(ascii_lower(name_of(user, kUser)), user_view(user, false));
  return paged_result(input, std::move(items), "Users");
}

Value update_user(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string name = required_string(input, "UserName");
  Object user = load(txn, ctx, kUser, name);
  const std::string old_key = ascii_lower(name_of(user, kUser));
  std::string new_name = get_string(input, "NewUserName").value_or(name_of(user, kUser));
  if (auto path = get_string(input, "NewPath")) user["Path"] = *path;
  if (ascii_lower(new_name) != old_key && find(txn, ctx, kUser, new_name))
    throw already_exists("User with name " + new_name + " already exists.");
  user["UserName"] = new_name;
  user["Arn"] = make_arn(ctx, kUser.arn_type, user["Path"].as_string(), new_name);
  txn.erase(ns(ctx, kUser.ns), old_key);
  save(txn, ctx, kUser, user);
  // The user's keys now sign as the renamed user.
  rebind_access_keys(ctx, txn, old_key, user);
  rename_credentials_owner(txn, ctx, old_key, new_name);
  rename_mfa_owner(txn, ctx, old_key, ascii_lower(new_name));
  return Object{};
}

Value delete_user(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  const std::string key = ascii_lower(name_of(user, kUser));
  if (!access_keys_of(txn, ctx, name_of(user, kUser)).empty())
    throw delete_conflict("Cannot delete entity, must delete access keys first.");
  if (signing_certificate_count(txn, ctx, key) > 0)
    throw delete_conflict("Cannot delete entity, must delete signing certificates first.");
  if (ssh_public_key_count(txn, ctx, key) > 0)
    throw delete_conflict("Cannot delete entity, must delete SSH public keys first.");
  if (service_credential_count(txn, ctx, key) > 0)
    throw delete_conflict("Cannot delete entity, must delete service specific credentials first.");
  if (mfa_devices_of(txn, ctx, key) > 0) throw delete_conflict("Cannot delete entity, must remove MFA device first.");
  if (user.contains("login_profile"))
    throw delete_conflict("Cannot delete entity, must delete login profile first.");
  if (!inline_of(user).empty()) throw delete_conflict("Cannot delete entity, must delete policies first.");
  if (!attached_of(user).empty()) throw delete_conflict("Cannot delete entity, must detach all policies first.");
  if (const auto* groups = user.if_contains("groups"); groups && !groups->as_array().empty())
    throw delete_conflict("Cannot delete entity, must remove users from group first.");
  if (const auto* boundary = user.if_contains("PermissionsBoundary"))
    release_boundary(txn, ctx, std::string(boundary->at("PermissionsBoundaryArn").as_string()));
  txn.erase(ns(ctx, kUser.ns), ascii_lower(name_of(user, kUser)));
  return Object{};
}

Value tag_user(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  merge_tags(tags_of(user), input.at("Tags"));
  save(txn, ctx, kUser, user);
  return Object{};
}

Value untag_user(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  remove_tags(tags_of(user), input.at("TagKeys"));
  save(txn, ctx, kUser, user);
  return Object{};
}

Value list_user_tags(Context& ctx, const Value& input) {
  Object user = load(ctx.read_txn(), ctx, kUser, required_string(input, "UserName"));
  return paged_tags(input, tags_of(user));
}

Value put_user_permissions_boundary(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  const std::string arn = required_string(input, "PermissionsBoundary");
  Value boundary = use_as_boundary(txn, ctx, arn);
  if (const auto* old = user.if_contains("PermissionsBoundary"))
    release_boundary(txn, ctx, std::string(old->at("PermissionsBoundaryArn").as_string()));
  user["PermissionsBoundary"] = std::move(boundary);
  save(txn, ctx, kUser, user);
  return Object{};
}

Value delete_user_permissions_boundary(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  if (const auto* old = user.if_contains("PermissionsBoundary")) {
    release_boundary(txn, ctx, std::string(old->at("PermissionsBoundaryArn").as_string()));
    user.erase("PermissionsBoundary");
    save(txn, ctx, kUser, user);
  }
  return Object{};
}

// Login profiles: a user's console password. Terrarium keeps a salted
// digest of it, for ChangePassword to check the old one.
namespace {

void set_password(store::Transaction& txn, const Context& ctx, Object& user, const std::string& password) {
  check_password_policy(txn, ctx, password);
  const std::string salt = new_secret(16);
  user["password"] = Object{{"salt", salt}, {"digest", password_digest(password, salt)}, {"changed", now_seconds()}};
}

}  // namespace

Value create_login_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  auto name = user_name_or_caller(ctx, input);
  if (!name) throw invalid_input("The user name is required.");
  Object user = load(txn, ctx, kUser, *name);
  if (user.contains("login_profile"))
    throw already_exists("Login Profile for user " + name_of(user, kUser) + " already exists.");
  if (auto password = get_string(input, "Password")) set_password(txn, ctx, user, *password);
  Object profile{{"UserName", name_of(user, kUser)},
                 {"CreateDate", now_seconds()},
                 {"PasswordResetRequired", input.as_object().if_contains("PasswordResetRequired") &&
                                               input.at("PasswordResetRequired").as_bool()}};
  user["login_profile"] = profile;
  save(txn, ctx, kUser, user);
  return Object{{"LoginProfile", profile}};
}

namespace {

Object load_login_profile(store::Transaction& txn, Context& ctx, const Value& input, Object& user) {
  auto name = user_name_or_caller(ctx, input);
  if (!name) throw invalid_input("The user name is required.");
  user = load(txn, ctx, kUser, *name);
  const auto* profile = user.if_contains("login_profile");
  if (!profile) throw no_such_entity("Login Profile for User " + *name + " cannot be found.");
  return profile->as_object();
}

}  // namespace

Value get_login_profile(Context& ctx, const Value& input) {
  Object user;
  return Object{{"LoginProfile", load_login_profile(ctx.read_txn(), ctx, input, user)}};
}

Value update_login_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user;
  Object profile = load_login_profile(txn, ctx, input, user);
  if (const auto* reset = input.as_object().if_contains("PasswordResetRequired"))
    profile["PasswordResetRequired"] = reset->as_bool();
  if (auto password = get_string(input, "Password")) set_password(txn, ctx, user, *password);
  user["login_profile"] = profile;
  save(txn, ctx, kUser, user);
  return Object{};
}

Value delete_login_profile(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user;
  load_login_profile(txn, ctx, input, user);
  user.erase("login_profile");
  user.erase("password");
  save(txn, ctx, kUser, user);
  return Object{};
}

// ChangePassword: an IAM user changes their own console password.
Value change_password(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  if (ctx.caller.type != PrincipalType::kUser)
    throw AwsError("InvalidUserType", "Only IAM Users can change their own password.", 400);
  Object user;
  Object profile = load_login_profile(txn, ctx, Object{}, user);
  if (const auto* stored = user.if_contains("password")) {
    const auto& p = stored->as_object();
    if (password_digest(required_string(input, "OldPassword"), std::string(p.at("salt").as_string())) !=
        p.at("digest").as_string())
      throw AwsError("AccessDenied", "The old password is incorrect.", 403);
  }
  set_password(txn, ctx, user, required_string(input, "NewPassword"));
  profile["PasswordResetRequired"] = false;
  user["login_profile"] = profile;
  save(txn, ctx, kUser, user);
  return Object{};
}

}  // namespace terrarium::services::iam
