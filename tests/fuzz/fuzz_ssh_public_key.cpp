// libFuzzer target: the SSH public keys IAM's UploadSSHPublicKey accepts
// (services/iam/ssh_public_key.hpp), an OpenSSH "ssh-rsa" line or a PEM
// "PUBLIC KEY". The last input byte picks how the rest is presented: as the
// raw body, as the blob of an "ssh-rsa <base64>" line, or as the DER inside a
// PEM armour (so the fuzzer reaches the blob and DER parsers without having
// to learn base64 first). Bad input must throw IAM's own errors; a key that
// parses must survive the re-encodings GetSSHPublicKey serves.
#include <openssl/err.h>

#include "core/base64.hpp"
#include "fuzz_common.hpp"
#include "services/iam/ssh_public_key.hpp"

using namespace terrarium;
using namespace terrarium::services::iam;

namespace {

std::string pem_armour(std::string_view der) {
  const std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END PUBLIC KEY-----\n";
}

// Parses, accepting only the errors IAM documents for UploadSSHPublicKey.
std::optional<RsaPublicKey> parse(std::string_view body, std::string_view what) {
  try {
    return parse_ssh_public_key(body);
  } catch (const AwsError& e) {
    if (e.code() != "InvalidPublicKey" && e.code() != "UnrecognizedPublicKeyEncoding")
      fuzz::fail(what, "unexpected error code " + e.code());
    if (e.http_status() != 400) fuzz::fail(what, "status " + std::to_string(e.http_status()));
  } catch (const std::exception& e) {
    fuzz::fail(what, std::string("escaped non-AwsError exception: ") + e.what());
  } catch (...) {
    fuzz::fail(what, "escaped non-std exception");
  }
  // Every rejection must leave OpenSSL's error queue as it found it.
  if (ERR_peek_error() != 0) fuzz::fail(what, "OpenSSL error queue left non-empty");
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const int mode = fdp.ConsumeIntegralInRange<int>(0, 2);
  const std::string rest = fdp.ConsumeRemainingBytesAsString();
  std::string body;
  switch (mode) {
    case 0: body = rest; break;
    case 1: body = "ssh-rsa " + base64_encode(rest) + " fuzz@terrarium"; break;
    default: body = pem_armour(rest); break;
  }
  // UploadSSHPublicKey trims trailing line breaks and blanks first.
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.pop_back();
  if (std::getenv("TERRARIUM_FUZZ_VERBOSE")) std::fprintf(stderr, "[ssh key mode %d] %s\n", mode, body.c_str());

  const auto key = parse(body, "parse_ssh_public_key");
  if (!key) return 0;
  (void)rsa_modulus_bits(*key);
  const std::string fingerprint = ssh_public_key_fingerprint(*key);
  if (fingerprint.size() != 16 * 3 - 1) fuzz::fail("fingerprint", fingerprint);

  // Encoding=SSH: the "ssh-rsa" line carries the key bytes unchanged.
  const std::string line = ssh_public_key_line(*key);
  const auto from_line = parse(line, "parse(ssh_public_key_line)");
  if (!from_line) fuzz::fail("ssh_public_key_line", "the SSH form of a parsed key does not parse: " + line);
  if (!(*from_line == *key)) fuzz::fail("ssh_public_key_line", "the SSH form changes the key");
  if (ssh_public_key_fingerprint(*from_line) != fingerprint) fuzz::fail("ssh_public_key_line", "fingerprint changed");

  // Encoding=PEM: OpenSSL may refuse a degenerate key (""), but what it
  // writes must read back as the same number, and re-encode identically.
  const std::string pem = ssh_public_key_pem(*key);
  ERR_clear_error();
  if (pem.empty()) return 0;
  const auto from_pem = parse(pem, "parse(ssh_public_key_pem)");
  if (!from_pem) fuzz::fail("ssh_public_key_pem", "the PEM form of a parsed key does not parse:\n" + pem);
  if (rsa_modulus_bits(*from_pem) != rsa_modulus_bits(*key))
    fuzz::fail("ssh_public_key_pem", "the PEM form changes the modulus size");
  if (ssh_public_key_pem(*from_pem) != pem) fuzz::fail("ssh_public_key_pem", "PEM encoding is not stable");
  ERR_clear_error();
  return 0;
}
