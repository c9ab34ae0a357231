#pragma once
// The self-signed certificate Terrarium serves HTTPS with when the user gives
// none. Kept free of Boost so tools (and `terrarium` subcommands that print the
// certificate's path for AWS_CA_BUNDLE) can use it cheaply.
#include <string>

namespace terrarium::http {

struct PemCertificate {
  std::string cert_pem;  // X.509 certificate
  std::string key_pem;   // PKCS#8 private key
};

// A new EC P-256 key and a self-signed certificate for CN=localhost with
// subjectAltName DNS:localhost, DNS:*.localhost, IP:127.0.0.1, IP:::1,
// valid for 10 years. Throws std::runtime_error on OpenSSL failure.
PemCertificate generate_self_signed_certificate();

struct TlsFiles {
  std::string cert_file;
  std::string key_file;
};

// <dir>/tls/cert.pem and <dir>/tls/key.pem, generated on first use (key file
// mode 0600) and reused afterwards; regenerated if unreadable or if the key
// does not match the certificate. Throws std::runtime_error on I/O failure.
TlsFiles ensure_self_signed_certificate(const std::string& dir);

}  // namespace terrarium::http
