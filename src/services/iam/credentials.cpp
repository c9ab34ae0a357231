// Users' SSH public keys (for CodeCommit) and service-specific credentials
// (CodeCommit, Keyspaces, Bedrock).
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/base64.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/iam/operations.hpp"
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

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

AwsError invalid_key() { return AwsError("InvalidPublicKey", "The public key is malformed or otherwise invalid.", 400); }
AwsError unrecognized_key() {
  return AwsError("UnrecognizedPublicKeyEncoding", "The public key encoding format is unsupported or unrecognized.",
                  400);
}

// An RSA public key: its exponent and modulus as SSH's mpint bytes.
struct RsaKey {
  std::string e;
  std::string n;
};

void put_string(std::string& out, std::string_view s) {
  const auto size = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xff);
  out += s;
}

bool take_string(std::string_view& in, std::string& out) {
  if (in.size() < 4) return false;
  uint32_t size = 0;
  for (int i = 0; i < 4; ++i) size = (size << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(4);
  if (in.size() < size) return false;
  out.assign(in.substr(0, size));
  in.remove_prefix(size);
  return true;
}

std::string ssh_blob(const RsaKey& key) {
  std::string blob;
  put_string(blob, "ssh-rsa");
  put_string(blob, key.e);
  put_string(blob, key.n);
  return blob;
}

// An mpint: big-endian, with a leading zero when the top bit is set.
std::string mpint_of(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) bytes.insert(bytes.begin(), '\0');
  return bytes;
}

int modulus_bits(const std::string& n) {
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  return bn ? BN_num_bits(bn.get()) : 0;
}

RsaKey parse_ssh(std::string_view body) {
  // "ssh-rsa <base64> [comment]"
  const auto space = body.find(' ');
  if (space == std::string_view::npos) throw invalid_key();
  const std::string_view type = body.substr(0, space);
  std::string_view rest = body.substr(space + 1);
  rest = rest.substr(0, rest.find(' '));
  if (type != "ssh-rsa") throw unrecognized_key();
  auto blob = base64_decode(rest);
  if (!blob) throw invalid_key();
  std::string_view in(*blob);
  std::string blob_type;
  RsaKey key;
  if (!take_string(in, blob_type) || blob_type != "ssh-rsa" || !take_string(in, key.e) || !take_string(in, key.n))
    throw invalid_key();
  return key;
}

RsaKey parse_pem(const std::string& body) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(body.data(), static_cast<int>(body.size())));
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) throw invalid_key();
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) throw unrecognized_key();
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_E, &e);
  BnPtr n_owner(n), e_owner(e);
  if (!n || !e) throw invalid_key();
  return RsaKey{mpint_of(e), mpint_of(n)};
}

RsaKey parse_public_key(const std::string& body) {
  if (body.find("-----BEGIN") != std::string::npos) return parse_pem(body);
  return parse_ssh(body);
}

std::string to_pem(const RsaKey& key) {
  auto bn = [](const std::string& bytes) {
    return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                           nullptr));
  };
  BnPtr n = bn(key.n), e = bn(key.e);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                 OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                   EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
      EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return {};
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(raw);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), pkey.get());
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string md5_fingerprint(const std::string& blob) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(blob.data(), blob.size(), digest, &length, EVP_md5(), nullptr);
  std::string out;
  char hex[4];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(hex, sizeof hex, i ? ":%02x" : "%02x", digest[i]);
    out += hex;
  }
  return out;
}

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
  if (!doc || doc->at("owner").as_string() != lower(name_of(user, kUser)))
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
  const std::string owner = lower(name_of(user, kUser));
  std::string body = required_string(input, "SSHPublicKeyBody");
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.pop_back();
  const RsaKey key = parse_public_key(body);
  if (modulus_bits(key.n) < kMinRsaBits) throw invalid_key();
  const std::string fingerprint = md5_fingerprint(ssh_blob(key));
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
  const RsaKey key = parse_public_key(body);
  if (required_string(input, "Encoding") == "PEM") doc["SSHPublicKeyBody"] = to_pem(key);
  else if (body.find("-----BEGIN") != std::string::npos) doc["SSHPublicKeyBody"] = "ssh-rsa " + base64_encode(ssh_blob(key));
  doc.erase("owner");
  return Object{{"SSHPublicKey", std::move(doc)}};
}

Value list_ssh_public_keys(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  std::vector<KeyedItem> items;
  if (auto name = user_name_or_caller(ctx, input)) {
    Object user = load(txn, ctx, kUser, *name);
    for (auto& k : owned(txn, ctx, kSshKeysNs, lower(name_of(user, kUser))))
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
  if (!doc || doc->at("owner").as_string() != lower(name_of(user, kUser)))
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
  const std::string owner = lower(name_of(user, kUser));
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
    credentials = owned(txn, ctx, kServiceCredentialsNs, lower(name_of(user, kUser)));
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
      d["owner"] = lower(new_name);
      d["UserName"] = new_name;
      if (d.contains("ServiceUserName")) d["ServiceUserName"] = new_name + "-at-" + ctx.caller.account_id;
      txn.put(ns(ctx, kind), id, d);
    }
  }
}

}  // namespace terrarium::services::iam
