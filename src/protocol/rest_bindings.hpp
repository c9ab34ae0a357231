#pragma once
// What the two REST families (rest-json, rest-xml) share: matching a request
// against an operation's URI template, and the members bound outside the body
// (uri labels, query string, headers, header maps, status code, payload).
// The body codecs differ per family and live in json_body / xml_body.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ascii.hpp"
#include "core/aws_error.hpp"
#include "core/value.hpp"
#include "http/message.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol::rest {

// Label name (without '+') -> percent-decoded value.
using UriLabels = std::map<std::string, std::string, std::less<>>;

// ---------------------------------------------------------------------------
// Routing

// Matches a botocore requestUri template ("/{Bucket}/{Key+}?uploads",
// "/2015-03-31/functions/{FunctionName}/invocations") against a path and query.
// `raw_path` is still percent-encoded (labels are decoded after matching, so
// an encoded '/' stays inside a non-greedy label). A label matches one or more
// characters other than '/'; a greedy label ({Key+}) one or more of any.
// Literal query keys in the template must be present (with the template's
// value when it gives one), except "x-id", which botocore sends but other
// clients omit: when present it must match. A trailing '/' on either side is
// tolerated. nullopt when it does not match.
std::optional<UriLabels> match_uri(std::string_view request_uri_template, std::string_view raw_path,
                                   const std::vector<std::pair<std::string, std::string>>& query);

// The same on a whole request (its target's path and query).
std::optional<UriLabels> match_request_uri(std::string_view request_uri_template,
                                           const http::Request& request);

// Higher is more specific: literal path segments outrank labels, labels
// outrank greedy labels, and each literal query key adds. Use it to choose
// among several templates that match the same request.
int uri_template_specificity(std::string_view request_uri_template);

struct OperationMatch {
  const Operation* operation = nullptr;
  UriLabels labels;
  // uri_template_specificity() plus what the request carries of the input's
  // required querystring/header members (CopyObject beats PutObject when
  // x-amz-copy-source is present, ListParts beats GetObject when uploadId
  // is), minus a large penalty per missing required one, so an operation
  // whose required bindings are absent is chosen only if nothing else fits;
  // a deprecated operation loses to its current twin on the same template.
  int score = 0;
};

// Does `op` (its method and template, then its input's required bindings)
// fit `request`? `raw_path` / `query` as for match_uri, so a router can pass
// a virtual-hosted S3 request's path with the bucket prepended.
std::optional<OperationMatch> match_operation(
    const ServiceModel& model, const Operation& op, std::string_view method,
    std::string_view raw_path, const std::vector<std::pair<std::string, std::string>>& query,
    const http::Headers& headers);

// The best-scoring operation of `model` for the request; nullopt if none
// matches its method and path. Ties go to the first in model order (S3's
// ListBuckets and ListDirectoryBuckets differ only by endpoint host).
std::optional<OperationMatch> find_operation(const ServiceModel& model,
                                             const http::Request& request);
std::optional<OperationMatch> find_operation(
    const ServiceModel& model, std::string_view method, std::string_view raw_path,
    const std::vector<std::pair<std::string, std::string>>& query, const http::Headers& headers);

// ---------------------------------------------------------------------------
// Request side

// The shape's "payload" member name, or "" when the body is the shape's
// unbound members.
std::string payload_member_name(const Shape& shape);
// Is the member bound outside the body (uri, querystring, header, headers,
// statusCode)?
bool is_location_bound(const boost::json::object& member_ref);
// blob or string payload: the body is the member's raw bytes.
bool is_raw_payload(const ServiceModel& model, const Shape& shape);

// Fills `out` with the members of `input` bound to uri labels, query string,
// headers and header maps, converted to Value by their shape (numbers,
// booleans, timestamps, header lists, jsonvalue headers). `labels` from
// match_uri; when null they are matched here from op.request_uri. Throws
// AwsError(400, `malformed_code`) for values that do not parse (a header
// "abc" for an integer).
void parse_bound_members(const ServiceModel& model, const Operation& op,
                         const http::Request& request, const UriLabels* labels, Object& out,
                         std::string_view malformed_code);

// ---------------------------------------------------------------------------
// Response side

// Sets the response headers of `shape`'s header/headers members from
// `value`, and the status from a statusCode member when present. `status`
// is otherwise left as it is (the caller sets the operation's responseCode
// via response_status()).
void serialize_bound_members(const ServiceModel& model, const Shape& shape, const Value& value,
                             http::Response& response);

// The operation's `http.responseCode`, default 200.
int response_status(const Operation& op);

// Scalar <-> header/query/label text, by shape type. The timestamp format is
// the member's or shape's timestampFormat, else `timestamp_default`
// ("rfc822" in headers, "iso8601" in query strings and labels). Blobs are
// base64 in headers and raw elsewhere (`base64_blobs`). `member_ref` may be
// null.
std::string scalar_to_text(const Shape& shape, const boost::json::object* member_ref,
                           const Value& v, std::string_view timestamp_default,
                           bool base64_blobs = false);
// nullopt when `text` is not a valid value of the shape's type.
std::optional<Value> text_to_scalar(const Shape& shape, const boost::json::object* member_ref,
                                    std::string_view text, std::string_view timestamp_default,
                                    bool base64_blobs = false);

// Splits a header list value ("a, \"b,c\", d") as RFC 7230 allows.
std::vector<std::string> split_header_list(std::string_view text);

// ---------------------------------------------------------------------------
// Shared by the two REST families

// The request body as the operation sees it: an aws-chunked upload
// (Content-Encoding: aws-chunked, or x-amz-content-sha256: STREAMING-...)
// is decoded (chunk signatures and trailers dropped, not verified: that is
// auth/aws_chunked's job), unless its size already equals
// x-amz-decoded-content-length (the server decoded it while streaming).
// Anything else is returned as is: a gzip Content-Encoding on S3 is the
// object's, never undone here. Throws AwsError(400, "IncompleteBody") when
// the framing is broken or disagrees with x-amz-decoded-content-length.
std::string decoded_body(const http::Request& request);

bool is_blank(std::string_view body);
// Does the structure have members that travel in the body? In a response
// (`response`), uri/querystring members count as body members, as botocore
// reads them there.
bool has_body_members(const Shape& shape, bool response = false);
// `shape` itself, or a copy in `storage` whose uri/querystring members are
// unbound, so a body codec that skips located members writes them.
const Shape& response_body_shape(const Shape& shape, Shape& storage);
// A blob/string payload member's value as the response body, with a
// Content-Type (application/octet-stream or text/plain) unless one is set.
void set_raw_payload(const ServiceModel& model, const boost::json::object& member_ref,
                     const Value& value, http::Response& response);
// The modeled error shape for `code` (see protocol/error_shape.hpp: the
// operation's errors by name or error.code, else a model exception shape of
// that name). Null when the error is not modeled.
const Shape* error_shape(const ServiceModel& model, const Operation* op, std::string_view code);
// The model's httpStatusCode for a modeled error, else the error's own.
int error_status(const Shape* error_shape, const AwsError& error);

}  // namespace terrarium::protocol::rest
