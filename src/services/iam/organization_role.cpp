#include "services/iam/organization_role.hpp"

#include "core/context.hpp"
#include "services/iam/managed_policies.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

namespace {

constexpr int64_t kDefaultMaxSessionDuration = 3600;
constexpr const char* kAdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";

}  // namespace

void create_organization_access_role(store::Transaction& txn, const std::string& account_id,
                                     const std::string& role_name, const std::string& trusted_account) {
  // IAM's helpers take the account from the caller: act as the new account's root.
  Context ctx;
  ctx.caller.account_id = account_id;
  ctx.caller.arn = "arn:aws:iam::" + account_id + ":root";
  ctx.caller.user_id = account_id;
  if (find(txn, ctx, kRole, role_name)) return;
  Object role = create_entity(txn, ctx, kRole, role_name, "/");
  const Value trust = Object{
      {"Version", "2012-10-17"},
      {"Statement", Array{Object{{"Effect", "Allow"},
                                 {"Principal", Object{{"AWS", "arn:aws:iam::" + trusted_account + ":root"}}},
                                 {"Action", "sts:AssumeRole"}}}}};
  role["AssumeRolePolicyDocument"] = boost::json::serialize(trust);
  role["MaxSessionDuration"] = kDefaultMaxSessionDuration;
  count_attachment(txn, ctx, kAdministratorAccess, +1);
  attached_of(role).push_back(Value(kAdministratorAccess));
  save(txn, ctx, kRole, role);
}

}  // namespace terrarium::services::iam
