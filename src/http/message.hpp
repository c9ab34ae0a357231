#pragma once
// HTTP request and response as the rest of Terrarium sees them: plain data,
// independent of the server library, so protocol code and tests can build them.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace terrarium::http {

// Header names compare case-insensitively, as HTTP requires.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};

using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw request-target: path and query, still percent-encoded
  Headers headers;
  std::string body;
  bool secure = false;  // arrived over TLS (aws:SecureTransport)
  std::string remote_ip;

  std::string_view raw_path() const;   // target up to '?', still encoded
  std::string_view raw_query() const;  // after '?', still encoded ("" when none)
  std::string path() const;            // percent-decoded path
  // Query parameters in order, percent-decoded ('+' stays '+', as AWS signs it).
  std::vector<std::pair<std::string, std::string>> query_params() const;
  std::optional<std::string> query_param(std::string_view name) const;
  // A view into `headers`: valid while they are not changed. Every request
  // reads a few headers, and a copy would allocate for most values.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void set_header(std::string name, std::string value);
  std::optional<std::string> header(std::string_view name) const;
};

// RFC 3986 percent-decoding; `plus_as_space` for form bodies.
std::string percent_decode(std::string_view s, bool plus_as_space = false);
// RFC 3986's unreserved characters: ALPHA, DIGIT, '-', '.', '_', '~'.
constexpr bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
// Percent-encoding of everything but RFC 3986 unreserved characters;
// `keep_slash` for paths.
std::string percent_encode(std::string_view s, bool keep_slash = false);
// Splits `a=1&b=2` into decoded pairs.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view s,
                                                           bool plus_as_space);

}  // namespace terrarium::http
