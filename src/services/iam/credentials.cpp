// Users' SSH public keys (for CodeCommit) and service-specific credentials
// (CodeCommit, Keyspaces, Bedrock).
#include <algorithm>

#include "core/base64.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/ssh_public_key.hpp"
#include "services/iam/state.hpp"
#include "services/iam/user_credentials.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kSshKeysNs = "ssh-public-keys";
constexpr std::string_view kServiceCredentialsNs = "service-credentials";
constexpr size_t kMaxSshKeys = 5;
constexpr size_t kMaxServiceCredentials = 2;
constexpr int kMinRsaBits = 2048;

// The user the request names, else the calling user.
Object owning_user(store::Transaction& txn, Context& ctx, const Value& input) {
  auto name = user_name_or_caller(ctx, input);
  if (!name) throw invalid_input("The user name is required.");
  return load(txn, ctx, kUser, *name);
}

std::vector<Object> owned(store::Transaction& txn, const Context& ctx, std::string_view kind, const std::string& owner) {
  std::vector<Object> out;
  for (auto& [id, doc] : txn.list(ns(ctx, kind)))
    if (doc.at("owner").as_string() == owner) out.push_back(std::move(doc.as_object()));
  return out;
}

Object load_ssh_key(store::Transaction& txn, const Context& ctx, const std::string& id, const Object& user) {
  auto doc = txn.get(ns(ctx, kSshKeysNs), id);
  if (!doc || doc->at("owner").as_string() != ascii_lower(name_of(user, kUser)))
    throw no_such_entity("The Public Key with id " + id + " cannot be found.");
  return std::move(doc->as_object());
}

void put_doc(store::Transaction& txn, const Context& ctx, std::string_view kind, std::string_view id_member,
             const Object& doc) {
  txn.put(ns(ctx, kind), std::string(doc.at(id_member).as_string()), doc);
}

}  // namespace

// SSH public keys

Value upload_ssh_public_key(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  const std::string owner = ascii_lower(name_of(user, kUser));
  std::string body = required_string(input, "SSHPublicKeyBody");
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.pop_back();
  const RsaPublicKey key = parse_ssh_public_key(body);
  if (rsa_modulus_bits(key) < kMinRsaBits) throw invalid_public_key();
  const std::string fingerprint = ssh_public_key_fingerprint(key);
  auto existing = owned(txn, ctx, kSshKeysNs, owner);
  for (const auto& k : existing)
    if (k.at("Fingerprint").as_string() == fingerprint)
      throw AwsError("DuplicateSSHPublicKey", "The public key is already associated with the specified IAM user.", 400);
  if (existing.size() >= kMaxSshKeys) throw limit_exceeded("Cannot exceed quota for PublicKeysPerUser: 5");
  Object doc{{"owner", owner},
             {"UserName", name_of(user, kUser)},
             {"SSHPublicKeyId", new_id("APKA")},
             {"Fingerprint", fingerprint},
             {"SSHPublicKeyBody", body},
             {"Status", "Active"},
             {"UploadDate", now_seconds()}};
  put_doc(txn, ctx, kSshKeysNs, "SSHPublicKeyId", doc);
  doc.erase("owner");
  return Object{{"SSHPublicKey", std::move(doc)}};
}

Value get_ssh_public_key(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  Object doc = load_ssh_key(txn, ctx, required_string(input, "SSHPublicKeyId"), user);
  const std::string body(doc.at("SSHPublicKeyBody").as_string());
  const RsaPublicKey key = parse_ssh_public_key(body);
  if (required_string(input, "Encoding") == "PEM") doc["SSHPublicKeyBody"] = ssh_public_key_pem(key);
  else if (body.find("-----BEGIN") != std::string::npos) doc["SSHPublicKeyBody"] = ssh_public_key_line(key);
  doc.erase("owner");
  return Object{{"SSHPublicKey", std::move(doc)}};
}

Value list_ssh_public_keys(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  std::vector<KeyedItem> items;
  if (auto name = user_name_or_caller(ctx, input)) {
    Object user = load(txn, ctx, kUser, *name);
    for (auto& k : owned(txn, ctx, kSshKeysNs, ascii_lower(name_of(user, kUser))))
      items.emplace_back(std::string(k.at("SSHPublicKeyId").as_string()),
                         pick(k, {"UserName", "SSHPublicKeyId", "Status", "UploadDate"}));
  }
  return paged_result(input, std::move(items), "SSHPublicKeys");
}

Value update_ssh_public_key(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  Object doc = load_ssh_key(txn, ctx, required_string(input, "SSHPublicKeyId"), user);
  doc["Status"] = required_string(input, "Status");
  put_doc(txn, ctx, kSshKeysNs, "SSHPublicKeyId", doc);
  return Object{};
}

Value delete_ssh_public_key(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  Object doc = load_ssh_key(txn, ctx, required_string(input, "SSHPublicKeyId"), user);
  txn.erase(ns(ctx, kSshKeysNs), std::string(doc.at("SSHPublicKeyId").as_string()));
  return Object{};
}

// Service-specific credentials

namespace {

constexpr std::array<std::string_view, 3> kCredentialServices = {"codecommit.amazonaws.com", "cassandra.amazonaws.com",
                                                                 "bedrock.amazonaws.com"};

bool is_bedrock(const Object& doc) { return doc.at("ServiceName").as_string() == "bedrock.amazonaws.com"; }

// A new secret: Bedrock's API keys are long bearer tokens, the others passwords.
void new_secret_for(Object& doc) {
  if (is_bedrock(doc)) doc["ServiceCredentialSecret"] = "ABSK" + base64_encode(random_bytes(96));
  else doc["ServicePassword"] = new_secret(44);
}

Object credential_metadata(const Object& doc) {
  return pick(doc, {"UserName", "Status", "ServiceUserName", "ServiceCredentialAlias", "CreateDate", "ExpirationDate",
                    "ServiceSpecificCredentialId", "ServiceName"});
}

Object load_credential(store::Transaction& txn, const Context& ctx, const std::string& id, const Object& user) {
  auto doc = txn.get(ns(ctx, kServiceCredentialsNs), id);
  if (!doc || doc->at("owner").as_string() != ascii_lower(name_of(user, kUser)))
    throw no_such_entity("No such credential " + id + " exists");
  return std::move(doc->as_object());
}

}  // namespace

Value create_service_specific_credential(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  const std::string service = required_string(input, "ServiceName");
  if (std::find(kCredentialServices.begin(), kCredentialServices.end(), service) == kCredentialServices.end())
    throw AwsError("NotSupportedService", "No such service " + service + " is supported for Service-Specific Credentials",
                   404);
  const std::string owner = ascii_lower(name_of(user, kUser));
  size_t same_service = 0;
  for (const auto& c : owned(txn, ctx, kServiceCredentialsNs, owner))
    if (c.at("ServiceName").as_string() == service) ++same_service;
  if (same_service >= kMaxServiceCredentials)
    throw limit_exceeded("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
  const int64_t now = now_seconds();
  Object doc{{"owner", owner},
             {"UserName", name_of(user, kUser)},
             {"ServiceName", service},
             {"ServiceSpecificCredentialId", new_id("ACCA")},
             {"Status", "Active"},
             {"CreateDate", now}};
  if (is_bedrock(doc))
    doc["ServiceCredentialAlias"] = name_of(user, kUser) + "+" + new_base32_id("", 4) + "-at-" + ctx.caller.account_id;
  else
    doc["ServiceUserName"] = name_of(user, kUser) + "-at-" + ctx.caller.account_id;
  if (auto days = get_int(input, "CredentialAgeDays")) doc["ExpirationDate"] = now + *days * 86400;
  new_secret_for(doc);
  put_doc(txn, ctx, kServiceCredentialsNs, "ServiceSpecificCredentialId", doc);
  doc.erase("owner");
  return Object{{"ServiceSpecificCredential", std::move(doc)}};
}

Value list_service_specific_credentials(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  const auto service = get_string(input, "ServiceName");
  const auto* all = input.as_object().if_contains("AllUsers");
  std::vector<Object> credentials;
  if (all && all->is_bool() && all->get_bool()) {
    for (auto& [id, doc] : txn.list(ns(ctx, kServiceCredentialsNs))) credentials.push_back(std::move(doc.as_object()));
  } else if (auto name = user_name_or_caller(ctx, input)) {
    Object user = load(txn, ctx, kUser, *name);
    credentials = owned(txn, ctx, kServiceCredentialsNs, ascii_lower(name_of(user, kUser)));
  }
  std::vector<KeyedItem> items;
  for (const auto& c : credentials)
    if (!service || c.at("ServiceName").as_string() == *service)
      items.emplace_back(std::string(c.at("ServiceSpecificCredentialId").as_string()), credential_metadata(c));
  return paged_result(input, std::move(items), "ServiceSpecificCredentials");
}

Value reset_service_specific_credential(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = owning_user(txn, ctx, input);
  Object doc = load_credential(txn, ctx, required_string(input, "ServiceSpecificCredentialId"), user);
  new_secret_for(doc);
  put_doc(txn, ctx, kServiceCredentialsNs, "ServiceSpecificCredentialId", doc);
  doc.erase("owner");
  return Object{{"ServiceSpecificCredential", std::move(doc)}};
}

Value update_service_specific_credential(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = owning_user(txn, ctx, input);
  Object doc = load_credential(txn, ctx, required_string(input, "ServiceSpecificCredentialId"), user);
  doc["Status"] = required_string(input, "Status");
  put_doc(txn, ctx, kServiceCredentialsNs, "ServiceSpecificCredentialId", doc);
  return Object{};
}

Value delete_service_specific_credential(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = owning_user(txn, ctx, input);
  Object doc = load_credential(txn, ctx, required_string(input, "ServiceSpecificCredentialId"), user);
  txn.erase(ns(ctx, kServiceCredentialsNs), std::string(doc.at("ServiceSpecificCredentialId").as_string()));
  return Object{};
}

size_t ssh_public_key_count(store::Transaction& txn, const Context& ctx, const std::string& user_key) {
  return owned(txn, ctx, kSshKeysNs, user_key).size();
}

size_t service_credential_count(store::Transaction& txn, const Context& ctx, const std::string& user_key) {
  return owned(txn, ctx, kServiceCredentialsNs, user_key).size();
}

void rename_credentials_owner(store::Transaction& txn, const Context& ctx, const std::string& old_key,
                              const std::string& new_name) {
  for (std::string_view kind : {kSshKeysNs, kServiceCredentialsNs, std::string_view("signing-certificates")}) {
    for (auto& [id, doc] : txn.list(ns(ctx, kind))) {
      if (doc.at("owner").as_string() != old_key) continue;
      auto& d = doc.as_object();
      d["owner"] = ascii_lower(new_name);
      d["UserName"] = new_name;
      if (d.contains("ServiceUserName")) d["ServiceUserName"] = new_name + "-at-" + ctx.caller.account_id;
      txn.put(ns(ctx, kind), id, d);
    }
  }
}

}  // namespace terrarium::services::iam
