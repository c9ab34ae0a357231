#pragma once
// A small SigV4-signed AWS API client for the `terrarium` command's own calls
// to a running server (`terrarium env`). It speaks the two wire formats those
// calls need: JSON 1.0/1.1 (Organizations) and query (STS, IAM). It goes over
// the public API exactly as an SDK would, so the server cannot tell it apart
// from the AWS CLI, signature verification and IAM enforcement included.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "auth/sigv4.hpp"

namespace terrarium::cli {

// An error the server answered with, in AWS's terms.
class AwsCallError : public std::runtime_error {
 public:
  AwsCallError(std::string code, std::string message, int http_status)
      : std::runtime_error(code + ": " + message),
        code_(std::move(code)),
        message_(std::move(message)),
        http_status_(http_status) {}
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }

 private:
  std::string code_;
  std::string message_;
  int http_status_;
};

// The server could not be reached at all (refused, reset, timeout).
class UnreachableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

class AwsClient {
 public:
  AwsClient(std::string endpoint, auth::Credentials credentials, std::string region)
      : endpoint_(std::move(endpoint)), credentials_(std::move(credentials)), region_(std::move(region)) {}

  // POST / with X-Amz-Target: <target_prefix>.<operation>. Returns the
  // response object ({} for an empty body). Throws AwsCallError.
  boost::json::object json_call(std::string_view signing_name, std::string_view target_prefix,
                                std::string_view operation, const boost::json::object& input,
                                std::string_view json_version = "1.1") const;

  // POST / with a form body Action=<action>&Version=<version>&<params>.
  // Returns the parsed response document. Throws AwsCallError.
  std::unique_ptr<pugi::xml_document> query_call(std::string_view signing_name,
                                                 std::string_view version, std::string_view action,
                                                 const QueryParams& params = {}) const;

  const std::string& endpoint() const { return endpoint_; }
  const std::string& region() const { return region_; }
  const auth::Credentials& credentials() const { return credentials_; }

  // A client for the same endpoint and region with other credentials.
  AwsClient with_credentials(auth::Credentials credentials) const {
    return AwsClient(endpoint_, std::move(credentials), region_);
  }

 private:
  struct RawResponse {
    int status = 0;
    std::string body;
    std::string error_type_header;  // x-amzn-ErrorType, when present
  };
  RawResponse post(std::string_view signing_name, std::string_view body,
                   std::vector<std::pair<std::string, std::string>> headers) const;

  std::string endpoint_;
  auth::Credentials credentials_;
  std::string region_;
};

// The first element named `name` at or below `node` (depth first); an empty
// node when there is none. Query responses nest their results a few levels
// deep (<XResponse><XResult>...), and these calls want one field each.
pugi::xml_node find_element(pugi::xml_node node, std::string_view name);
// The text of find_element(node, name), "" when absent.
std::string element_text(pugi::xml_node node, std::string_view name);

// The code and message of an error body in any of the formats AWS uses (JSON
// `__type`/`message`, query `<Error><Code>`); falls back to the HTTP status.
std::pair<std::string, std::string> parse_error_body(int status, std::string_view body,
                                                     std::string_view error_type_header);

}  // namespace terrarium::cli
