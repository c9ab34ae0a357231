// Server certificates (for load balancers and CloudFront) and users' X.509
// signing certificates. Certificates are parsed with OpenSSL, as AWS
// refuses what is not a PEM certificate (and a key that does not match).
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "core/ids.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/iam/user_credentials.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kSigningCertificatesNs = "signing-certificates";
constexpr size_t kMaxSigningCertificates = 2;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

std::unique_ptr<BIO, BioFree> bio_of(const std::string& text) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

X509Ptr parse_certificate(const std::string& pem) {
  auto bio = bio_of(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert)
    throw AwsError("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.",
                   400);
  return cert;
}

int64_t not_after(X509* cert) {
  const ASN1_TIME* t = X509_get0_notAfter(cert);
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

Object server_metadata(const Object& doc) {
  return pick(doc, {"Path", "ServerCertificateName", "ServerCertificateId", "Arn", "UploadDate", "Expiration"});
}

}  // namespace

// Server certificates

Value upload_server_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string body = required_string(input, "CertificateBody");
  X509Ptr cert = parse_certificate(body);
  const std::string key_pem = required_string(input, "PrivateKey");
  {
    auto bio = bio_of(key_pem);
    std::unique_ptr<EVP_PKEY, KeyFree> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw AwsError("MalformedCertificate", "Unable to parse private key.", 400);
    if (X509_check_private_key(cert.get(), key.get()) != 1)
      throw AwsError("KeyPairMismatch",
                     "Unable to validate certificate and private key. Please ensure the private key matches the "
                     "certificate.",
                     400);
  }
  auto chain = get_string(input, "CertificateChain");
  if (chain) parse_certificate(*chain);
  Object doc = create_entity(txn, ctx, kServerCertificate, required_string(input, "ServerCertificateName"),
                             path_of(input));
  doc["UploadDate"] = doc["CreateDate"];
  doc.erase("CreateDate");
  doc["Expiration"] = not_after(cert.get());
  doc["CertificateBody"] = body;
  if (chain) doc["CertificateChain"] = *chain;
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(doc), *tags);
  save(txn, ctx, kServerCertificate, doc);
  Object out{{"ServerCertificateMetadata", server_metadata(doc)}};
  if (!tags_of(doc).empty()) out["Tags"] = doc["Tags"];
  return out;
}

Value get_server_certificate(Context& ctx, const Value& input) {
  Object doc = load(ctx.read_txn(), ctx, kServerCertificate, required_string(input, "ServerCertificateName"));
  Object cert = pick(doc, {"CertificateBody", "CertificateChain"});
  cert["ServerCertificateMetadata"] = server_metadata(doc);
  if (!tags_of(doc).empty()) cert["Tags"] = doc["Tags"];
  return Object{{"ServerCertificate", std::move(cert)}};
}

Value list_server_certificates(Context& ctx, const Value& input) {
  std::vector<KeyedItem> items;
  for (auto& doc : load_all(ctx.read_txn(), ctx, kServerCertificate))
    if (matches_prefix(input, doc))
      items.emplace_back(ascii_lower(name_of(doc, kServerCertificate)), server_metadata(doc));
  return paged_result(input, std::move(items), "ServerCertificateMetadataList");
}

Value update_server_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load(txn, ctx, kServerCertificate, required_string(input, "ServerCertificateName"));
  const std::string old_key = ascii_lower(name_of(doc, kServerCertificate));
  const std::string new_name = get_string(input, "NewServerCertificateName").value_or(name_of(doc, kServerCertificate));
  if (ascii_lower(new_name) != old_key && find(txn, ctx, kServerCertificate, new_name))
    throw already_exists("The Server Certificate with name " + new_name + " already exists.");
  if (auto path = get_string(input, "NewPath")) doc["Path"] = *path;
  doc["ServerCertificateName"] = new_name;
  doc["Arn"] = make_arn(ctx, kServerCertificate.arn_type, doc["Path"].as_string(), new_name);
  txn.erase(ns(ctx, kServerCertificate.ns), old_key);
  save(txn, ctx, kServerCertificate, doc);
  return Object{};
}

Value delete_server_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load(txn, ctx, kServerCertificate, required_string(input, "ServerCertificateName"));
  txn.erase(ns(ctx, kServerCertificate.ns), ascii_lower(name_of(doc, kServerCertificate)));
  return Object{};
}

Value tag_server_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load(txn, ctx, kServerCertificate, required_string(input, "ServerCertificateName"));
  merge_tags(tags_of(doc), input.at("Tags"));
  save(txn, ctx, kServerCertificate, doc);
  return Object{};
}

Value untag_server_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load(txn, ctx, kServerCertificate, required_string(input, "ServerCertificateName"));
  remove_tags(tags_of(doc), input.at("TagKeys"));
  save(txn, ctx, kServerCertificate, doc);
  return Object{};
}

Value list_server_certificate_tags(Context& ctx, const Value& input) {
  Object doc = load(ctx.read_txn(), ctx, kServerCertificate, required_string(input, "ServerCertificateName"));
  return paged_tags(input, tags_of(doc));
}

// Signing certificates: at most two per user (or for the root user).

namespace {

// "" for the root user's certificates.
std::string signing_owner(store::Transaction& txn, Context& ctx, const Value& input, std::string* user_name) {
  auto name = user_name_or_caller(ctx, input);
  if (!name) return "";
  Object user = load(txn, ctx, kUser, *name);
  if (user_name) *user_name = name_of(user, kUser);
  return ascii_lower(name_of(user, kUser));
}

std::vector<Object> certificates_of(store::Transaction& txn, const Context& ctx, const std::string& owner) {
  std::vector<Object> out;
  for (auto& [id, doc] : txn.list(ns(ctx, kSigningCertificatesNs)))
    if (doc.at("owner").as_string() == owner) out.push_back(std::move(doc.as_object()));
  return out;
}

Object load_certificate(store::Transaction& txn, const Context& ctx, const std::string& id, const std::string& owner) {
  auto doc = txn.get(ns(ctx, kSigningCertificatesNs), id);
  if (!doc || doc->at("owner").as_string() != owner)
    throw no_such_entity("The Certificate with id " + id + " cannot be found.");
  return std::move(doc->as_object());
}

Object certificate_view(const Object& doc) {
  return pick(doc, {"UserName", "CertificateId", "CertificateBody", "Status", "UploadDate"});
}

}  // namespace

size_t signing_certificate_count(store::Transaction& txn, const Context& ctx, const std::string& user_key) {
  return certificates_of(txn, ctx, user_key).size();
}

Value upload_signing_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  std::string user_name;
  const std::string owner = signing_owner(txn, ctx, input, &user_name);
  const std::string body = required_string(input, "CertificateBody");
  parse_certificate(body);
  auto existing = certificates_of(txn, ctx, owner);
  for (const auto& cert : existing)
    if (cert.at("CertificateBody").as_string() == body)
      throw AwsError("DuplicateCertificate",
                     "The Certificate with id " + std::string(cert.at("CertificateId").as_string()) +
                         " already exists.",
                     409);
  if (existing.size() >= kMaxSigningCertificates)
    throw limit_exceeded("Cannot exceed quota for SigningCertificatesPerUser: 2");
  Object doc{{"owner", owner},
             {"CertificateId", new_base32_id("", 32)},
             {"CertificateBody", body},
             {"Status", "Active"},
             {"UploadDate", now_seconds()}};
  if (!user_name.empty()) doc["UserName"] = user_name;
  txn.put(ns(ctx, kSigningCertificatesNs), std::string(doc.at("CertificateId").as_string()), doc);
  return Object{{"Certificate", certificate_view(doc)}};
}

Value list_signing_certificates(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  const std::string owner = signing_owner(txn, ctx, input, nullptr);
  std::vector<KeyedItem> items;
  for (auto& cert : certificates_of(txn, ctx, owner))
    items.emplace_back(std::string(cert.at("CertificateId").as_string()), certificate_view(cert));
  return paged_result(input, std::move(items), "Certificates");
}

Value update_signing_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string owner = signing_owner(txn, ctx, input, nullptr);
  Object doc = load_certificate(txn, ctx, required_string(input, "CertificateId"), owner);
  doc["Status"] = required_string(input, "Status");
  txn.put(ns(ctx, kSigningCertificatesNs), std::string(doc.at("CertificateId").as_string()), doc);
  return Object{};
}

Value delete_signing_certificate(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string owner = signing_owner(txn, ctx, input, nullptr);
  Object doc = load_certificate(txn, ctx, required_string(input, "CertificateId"), owner);
  txn.erase(ns(ctx, kSigningCertificatesNs), std::string(doc.at("CertificateId").as_string()));
  return Object{};
}

}  // namespace terrarium::services::iam
