#pragma once
// How this server was started (the `terrarium serve` options).
#include <cstdint>
#include <string>
#include <vector>

namespace terrarium {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;
  std::string data_dir;      // durable state; empty with ephemeral
  bool ephemeral = false;    // all state in memory
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
  bool verify_signatures = false;
  // Authorize every request with IAM's policy evaluation; implies
  // verify_signatures.
  bool enforce_iam = false;
  // Secret key of the built-in root credentials (access key = an account id,
  // or "test" for the default account) when signatures are verified.
  std::string root_secret_key = "test";
  bool tls = false;
  std::string tls_cert_file;
  std::string tls_key_file;
  // Hosts under which S3 buckets are addressed virtually: <bucket>.<domain>.
  std::vector<std::string> s3_domains = {"s3.localhost", "s3.localhost.localstack.cloud",
                                         "s3.amazonaws.com"};
  size_t threads = 0;  // 0: one per core
  std::string log_level = "info";
};

}  // namespace terrarium
