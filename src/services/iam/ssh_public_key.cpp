#include "services/iam/ssh_public_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "core/base64.hpp"

namespace terrarium::services::iam {

namespace {

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

// A request the service must reject should not leave OpenSSL's per-thread
// error queue full of its reasons for the next, unrelated, OpenSSL call.
template <class E>
[[noreturn]] void fail_with(E error) {
  ERR_clear_error();
  throw error;
}

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

// An mpint: big-endian, with a leading zero when the top bit is set.
std::string mpint_of(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) bytes.insert(bytes.begin(), '\0');
  return bytes;
}

BnPtr bignum_of(const std::string& bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return nullptr;
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                         nullptr));
}

RsaPublicKey parse_ssh(std::string_view body) {
  // "ssh-rsa <base64> [comment]"
  const auto space = body.find(' ');
  if (space == std::string_view::npos) throw invalid_public_key();
  const std::string_view type = body.substr(0, space);
  std::string_view rest = body.substr(space + 1);
  rest = rest.substr(0, rest.find(' '));
  if (type != "ssh-rsa") throw unrecognized_public_key();
  auto blob = base64_decode(rest);
  if (!blob) throw invalid_public_key();
  std::string_view in(*blob);
  std::string blob_type;
  RsaPublicKey key;
  if (!take_string(in, blob_type) || blob_type != "ssh-rsa" || !take_string(in, key.e) || !take_string(in, key.n))
    throw invalid_public_key();
  return key;
}

RsaPublicKey parse_pem(std::string_view body) {
  if (body.size() > static_cast<size_t>(INT_MAX)) throw invalid_public_key();
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(body.data(), static_cast<int>(body.size())));
  if (!bio) fail_with(invalid_public_key());
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) fail_with(invalid_public_key());
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) fail_with(unrecognized_public_key());
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_E, &e);
  BnPtr n_owner(n), e_owner(e);
  if (!n || !e) fail_with(invalid_public_key());
  return RsaPublicKey{mpint_of(e), mpint_of(n)};
}

}  // namespace

AwsError invalid_public_key() {
  return AwsError("InvalidPublicKey", "The public key is malformed or otherwise invalid.", 400);
}

AwsError unrecognized_public_key() {
  return AwsError("UnrecognizedPublicKeyEncoding", "The public key encoding format is unsupported or unrecognized.",
                  400);
}

RsaPublicKey parse_ssh_public_key(std::string_view body) {
  if (body.find("-----BEGIN") != std::string_view::npos) return parse_pem(body);
  return parse_ssh(body);
}

std::string ssh_public_key_blob(const RsaPublicKey& key) {
  std::string blob;
  put_string(blob, "ssh-rsa");
  put_string(blob, key.e);
  put_string(blob, key.n);
  return blob;
}

std::string ssh_public_key_line(const RsaPublicKey& key) { return "ssh-rsa " + base64_encode(ssh_public_key_blob(key)); }

std::string ssh_public_key_pem(const RsaPublicKey& key) {
  BnPtr n = bignum_of(key.n), e = bignum_of(key.e);
  if (!n || !e) return {};
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                 OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                   EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!params || !pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
      EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(raw);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || !data) return {};
  return std::string(data, static_cast<size_t>(size));
}

int rsa_modulus_bits(const RsaPublicKey& key) {
  BnPtr bn = bignum_of(key.n);
  return bn ? BN_num_bits(bn.get()) : 0;
}

std::string ssh_public_key_fingerprint(const RsaPublicKey& key) {
  const std::string blob = ssh_public_key_blob(key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(blob.data(), blob.size(), digest, &length, EVP_md5(), nullptr) != 1) length = 0;
  std::string out;
  char hex[4];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(hex, sizeof hex, i ? ":%02x" : "%02x", digest[i]);
    out += hex;
  }
  return out;
}

}  // namespace terrarium::services::iam
