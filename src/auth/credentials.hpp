#pragma once
// The credentials Terrarium has issued (STS sessions now, IAM access keys
// later) and who each stands for; and turning a request's access key into
// its Caller.
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "auth/sigv4.hpp"
#include "core/caller.hpp"
#include "core/server_config.hpp"
#include "core/string_map.hpp"
#include "core/value.hpp"

namespace terrarium {
struct Context;
}  // namespace terrarium

namespace terrarium::store {
class Store;
class Transaction;
}  // namespace terrarium::store

namespace terrarium::auth {

struct IssuedCredential {
  Caller caller;  // caller.access_key_id is the key
  std::string secret_key;
  // The service that issued it ("sts", "iam"): its state, so resetting that
  // service revokes the credential too.
  std::string issuer = "sts";
};

class CredentialStore {
 public:
  explicit CredentialStore(store::Store& store) : store_(store) {}

  // Persists `credential` in the request's transaction.
  void remember(store::Transaction& txn, const IssuedCredential& credential);
  // Removes the credential in the request's transaction; the cache forgets
  // it once that commits (a lookup in between would cache it again).
  void forget(Context& ctx, std::string_view access_key_id);
  // Read-through cache: issued keys are looked up on every request they
  // sign, so a hit hands out the cached credential itself, shared and
  // immutable, rather than a copy of its dozen strings. Null when unknown.
  std::shared_ptr<const IssuedCredential> find(std::string_view access_key_id);
  void clear_cache();

 private:
  store::Store& store_;
  std::shared_mutex mutex_;
  StringMap<std::shared_ptr<const IssuedCredential>> cache_;
};

// A new key id ("AKIA"/"ASIA" + 16 base32 characters) that encodes
// `account_id` the way AWS's do, so GetAccessKeyInfo can read it back.
std::string new_access_key_id(std::string_view prefix, std::string_view account_id);
// The account a key id encodes: a 12-digit key is that account; AWS-format
// keys decode; nullopt otherwise.
std::optional<std::string> account_of_access_key(std::string_view access_key_id);
bool is_account_id(std::string_view s);

Value caller_to_value(const Caller& caller);
Caller caller_from_value(const Value& v);

// The caller a request's signature claims. With `verify`, the signature is
// checked against the key's secret and unknown or expired keys are refused
// with AWS's errors (in `style`). Without, any well-formed credentials pass:
// issued keys are who they were issued to, a 12-digit key is that account's
// root, anything else the default account's root.
// `virtual_host_bucket` is the bucket an S3 request's Host names ("" for
// path style), which S3's legacy signatures sign.
Caller resolve_caller(const std::optional<SigV4Info>& sig, const http::Request& request,
                      CredentialStore& credentials, const ServerConfig& config, bool verify,
                      ErrorStyle style, double now, std::string_view virtual_host_bucket = "");

}  // namespace terrarium::auth
