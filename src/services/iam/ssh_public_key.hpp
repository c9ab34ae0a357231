#pragma once
// The SSH public keys IAM takes in UploadSSHPublicKey (for CodeCommit): an
// OpenSSH "ssh-rsa <base64> [comment]" line or a PEM "PUBLIC KEY". Kept apart
// from the handlers so the parser has its own fuzz target
// (tests/fuzz/fuzz_ssh_public_key.cpp).
#include <string>
#include <string_view>

#include "core/aws_error.hpp"

namespace terrarium::services::iam {

// An RSA public key: its exponent and modulus as SSH's mpint bytes.
struct RsaPublicKey {
  std::string e;
  std::string n;
  bool operator==(const RsaPublicKey&) const = default;
};

// IAM's errors for a key it cannot use.
AwsError invalid_public_key();        // InvalidPublicKey
AwsError unrecognized_public_key();   // UnrecognizedPublicKeyEncoding

// Parses either encoding; anything else throws one of the errors above.
RsaPublicKey parse_ssh_public_key(std::string_view body);

// The OpenSSH wire blob (string "ssh-rsa", mpint e, mpint n).
std::string ssh_public_key_blob(const RsaPublicKey& key);
// "ssh-rsa <base64 blob>", the form GetSSHPublicKey returns for Encoding=SSH.
std::string ssh_public_key_line(const RsaPublicKey& key);
// The key as a PEM "PUBLIC KEY" (Encoding=PEM); "" when OpenSSL rejects it.
std::string ssh_public_key_pem(const RsaPublicKey& key);
// Bits in the modulus (0 when it is empty or zero).
int rsa_modulus_bits(const RsaPublicKey& key);
// IAM's fingerprint: the MD5 of the blob, as colon-separated hex pairs.
std::string ssh_public_key_fingerprint(const RsaPublicKey& key);

}  // namespace terrarium::services::iam
