// Access keys: at most two per user, each at once a credential of the user
// (CredentialStore) while it is Active.
#include "services/iam/access_keys.hpp"

#include "auth/credentials.hpp"
#include "core/ids.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr size_t kMaxKeysPerUser = 2;
// Root keys belong to no user; they are stored under this owner.
constexpr std::string_view kRootOwner = "";

Caller caller_of(const Context& ctx, const Object* user, const std::string& key_id) {
  Caller c;
  c.account_id = ctx.caller.account_id;
  if (user) {
    c.arn = std::string(user->at("Arn").as_string());
    c.user_id = std::string(user->at("UserId").as_string());
    c.type = PrincipalType::kUser;
  } else {
    c.arn = "arn:aws:iam::" + c.account_id + ":root";
    c.user_id = c.account_id;
    c.type = PrincipalType::kRoot;
  }
  c.access_key_id = key_id;
  c.authenticated = true;
  return c;
}

void activate(Context& ctx, store::Transaction& txn, const Object* user, const Object& key) {
  const std::string id(key.at("AccessKeyId").as_string());
  // forget first: it drops the cached credential, remember does not touch it.
  ctx.credentials->forget(ctx, id);
  ctx.credentials->remember(txn, auth::IssuedCredential{caller_of(ctx, user, id),
                                                        std::string(key.at("SecretAccessKey").as_string()),
                                                        "iam"});
}

// The user an operation on keys is about: the input's UserName, else the
// calling user; nullopt for the root user's own keys.
std::optional<Object> owner(Context& ctx, store::Transaction& txn, const Value& input) {
  auto name = user_name_or_caller(ctx, input);
  if (!name) return std::nullopt;
  return load(txn, ctx, kUser, *name);
}

std::string owner_key(const std::optional<Object>& user) {
  return user ? ascii_lower(name_of(*user, kUser)) : std::string(kRootOwner);
}

Object load_key(store::Transaction& txn, const Context& ctx, const std::string& id,
                const std::optional<Object>& user) {
  auto doc = txn.get(ns(ctx, kAccessKeysNs), id);
  if (!doc || doc->at("owner").as_string() != owner_key(user))
    throw no_such_entity("The Access Key with id " + id + " cannot be found.");
  return std::move(doc->as_object());
}

Object metadata(const Object& key) { return pick(key, {"UserName", "AccessKeyId", "Status", "CreateDate"}); }

}  // namespace

std::vector<Object> access_keys_of(store::Transaction& txn, const Context& ctx, const std::string& user_name) {
  std::vector<Object> out;
  const std::string key = ascii_lower(user_name);
  for (auto& [id, doc] : txn.list(ns(ctx, kAccessKeysNs)))
    if (doc.at("owner").as_string() == key) out.push_back(std::move(doc.as_object()));
  return out;
}

void rebind_access_keys(Context& ctx, store::Transaction& txn, const std::string& old_key, const Object& user) {
  for (auto& key : access_keys_of(txn, ctx, old_key)) {
    key["owner"] = ascii_lower(name_of(user, kUser));
    key["UserName"] = name_of(user, kUser);
    txn.put(ns(ctx, kAccessKeysNs), std::string(key.at("AccessKeyId").as_string()), key);
    if (key.at("Status").as_string() == "Active") activate(ctx, txn, &user, key);
  }
}

Value create_access_key(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  auto user = owner(ctx, txn, input);
  if (access_keys_of(txn, ctx, owner_key(user)).size() >= kMaxKeysPerUser)
    throw limit_exceeded("Cannot exceed quota for AccessKeysPerUser: 2");
  Object key;
  key["owner"] = owner_key(user);
  if (user) key["UserName"] = name_of(*user, kUser);
  key["AccessKeyId"] = auth::new_access_key_id("AKIA", ctx.caller.account_id);
  key["Status"] = "Active";
  key["SecretAccessKey"] = new_secret(40);
  key["CreateDate"] = now_seconds();
  txn.put(ns(ctx, kAccessKeysNs), std::string(key["AccessKeyId"].as_string()), key);
  activate(ctx, txn, user ? &*user : nullptr, key);
  return Object{{"AccessKey", pick(key, {"UserName", "AccessKeyId", "Status", "SecretAccessKey", "CreateDate"})}};
}

Value list_access_keys(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  auto user = owner(ctx, txn, input);
  std::vector<KeyedItem> items;
  for (auto& key : access_keys_of(txn, ctx, owner_key(user)))
    items.emplace_back(std::string(key.at("AccessKeyId").as_string()), metadata(key));
  return paged_result(input, std::move(items), "AccessKeyMetadata");
}

Value update_access_key(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  auto user = owner(ctx, txn, input);
  Object key = load_key(txn, ctx, required_string(input, "AccessKeyId"), user);
  const std::string status = required_string(input, "Status");
  key["Status"] = status;
  txn.put(ns(ctx, kAccessKeysNs), std::string(key.at("AccessKeyId").as_string()), key);
  // An inactive key is refused as AWS refuses it: as an unknown key.
  if (status == "Active") activate(ctx, txn, user ? &*user : nullptr, key);
  else ctx.credentials->forget(ctx, key.at("AccessKeyId").as_string());
  return Object{};
}

Value delete_access_key(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  auto user = owner(ctx, txn, input);
  const std::string id = required_string(input, "AccessKeyId");
  load_key(txn, ctx, id, user);
  txn.erase(ns(ctx, kAccessKeysNs), id);
  ctx.credentials->forget(ctx, id);
  return Object{};
}

Value get_access_key_last_used(Context& ctx, const Value& input) {
  const std::string id = required_string(input, "AccessKeyId");
  auto doc = ctx.read_txn().get(ns(ctx, kAccessKeysNs), id);
  if (!doc) throw no_such_entity("The Access Key with id " + id + " cannot be found.");
  // Terrarium does not record key use yet; AWS answers N/A for a key never used.
  Object out{{"AccessKeyLastUsed", Object{{"ServiceName", "N/A"}, {"Region", "N/A"}}}};
  if (const auto* name = doc->as_object().if_contains("UserName")) out["UserName"] = *name;
  return out;
}

}  // namespace terrarium::services::iam
