#include "http/tls.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace terrarium::http {
namespace {

template <auto Fn>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Fn(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const char* what) {
  std::string msg = std::string("TLS certificate: ") + what;
  if (unsigned long e = ERR_get_error(); e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    msg += ": ";
    msg += buf;
  }
  ERR_clear_error();
  throw std::runtime_error(msg);
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  // Self-signed: the certificate is its own issuer (needed for the AKI).
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail("adding an extension");
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Written to a temporary name and renamed, so a crash never leaves half a file.
void write_file(const std::filesystem::path& p, const std::string& data, bool secret) {
  const auto tmp = std::filesystem::path(p.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("TLS certificate: cannot write " + tmp.string());
    if (secret)
      std::filesystem::permissions(tmp, std::filesystem::perms::owner_read |
                                            std::filesystem::perms::owner_write);
    out << data;
    out.flush();
    if (!out) throw std::runtime_error("TLS certificate: cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, p);
}

// True when both PEMs parse and the key belongs to the certificate.
bool usable_pair(const std::string& cert_pem, const std::string& key_pem) {
  if (cert_pem.empty() || key_pem.empty()) return false;
  BioPtr cb(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  BioPtr kb(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  if (!cb || !kb) return false;
  X509Ptr cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
  PkeyPtr key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
  const bool ok = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace

PemCertificate generate_self_signed_certificate() {
  // P-256 rather than RSA: generated instantly and accepted by every client
  // the AWS SDKs run on.
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("generating the EC key");

  X509Ptr cert(X509_new());
  if (!cert) fail("allocating the certificate");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) fail("setting the version");

  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1)
    fail("generating the serial");
  if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
    fail("setting the serial");

  // Back-dated an hour so a client with a slightly slow clock accepts it.
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_time_adj_ex(X509_getm_notAfter(cert.get()), 3650, 0, nullptr))
    fail("setting the validity");

  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* org = reinterpret_cast<const unsigned char*>("Terrarium");
  const auto* cn = reinterpret_cast<const unsigned char*>("localhost");
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1)
    fail("setting the subject");
  if (X509_set_issuer_name(cert.get(), name) != 1) fail("setting the issuer");
  if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("setting the public key");

  // A leaf that can also be trusted directly (AWS_CA_BUNDLE, a trust store);
  // the key identifiers keep strict verifiers (Python 3.13) happy.
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), NID_authority_key_identifier, "keyid:always");
  add_extension(cert.get(), NID_subject_alt_name,
                "DNS:localhost,DNS:*.localhost,DNS:*.s3.localhost,IP:127.0.0.1,IP:::1");

  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) fail("signing");

  PemCertificate out;
  BioPtr cb(BIO_new(BIO_s_mem()));
  if (!cb || PEM_write_bio_X509(cb.get(), cert.get()) != 1) fail("encoding the certificate");
  out.cert_pem = bio_to_string(cb.get());
  BioPtr kb(BIO_new(BIO_s_mem()));
  if (!kb || PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                      nullptr) != 1)
    fail("encoding the key");
  out.key_pem = bio_to_string(kb.get());
  return out;
}

TlsFiles ensure_self_signed_certificate(const std::string& dir) {
  const auto tls_dir = std::filesystem::path(dir) / "tls";
  TlsFiles files{(tls_dir / "cert.pem").string(), (tls_dir / "key.pem").string()};
  if (usable_pair(read_file(files.cert_file), read_file(files.key_file))) return files;

  std::error_code ec;
  std::filesystem::create_directories(tls_dir, ec);
  if (ec) throw std::runtime_error("TLS certificate: cannot create " + tls_dir.string());
  const PemCertificate pem = generate_self_signed_certificate();
  // Key first: a reader that sees the new certificate also sees its key.
  write_file(files.key_file, pem.key_pem, true);
  write_file(files.cert_file, pem.cert_pem, false);
  return files;
}

}  // namespace terrarium::http
