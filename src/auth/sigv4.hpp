#pragma once
// AWS Signature Version 4: reading a request's signature facts (cheap, on
// every request, for routing and identity), verifying them (under
// --verify-signatures), and signing (tests, and anything Terrarium presigns).
//
// Errors are thrown as AwsError with the code and message AWS gives for the
// condition; which one depends on the service family (S3, query, JSON), so
// the verifier takes an ErrorStyle.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/aws_error.hpp"
#include "http/message.hpp"

namespace terrarium::auth {

enum class AuthKind {
  kHeaderV4,  // Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...
  kQueryV4,   // presigned: X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...
  kHeaderV2,  // legacy Authorization: AWS AKID:signature (never verified)
  kQueryV2,   // legacy presigned: AWSAccessKeyId=...&Signature=...&Expires=... (never verified)
};

// What a signed request says about itself. Produced without any crypto.
struct SigV4Info {
  AuthKind kind = AuthKind::kHeaderV4;
  std::string access_key_id;
  // Credential scope: <date>/<region>/<service>/<terminator>.
  std::string scope_date;  // yyyymmdd
  std::string region;
  std::string service;     // the signing name: "s3", "sts", "execute-api", ...
  std::string terminator;  // "aws4_request"
  std::vector<std::string> signed_headers;  // lowercase, in the order given
  std::string signature;                    // lowercase hex (V4) or base64 (V2)
  std::string amz_date;  // X-Amz-Date as sent (20150830T123600Z); from Date: when absent
  std::string session_token;          // X-Amz-Security-Token, header or query; "" when none
  std::optional<int64_t> expires;     // X-Amz-Expires (V4 query), Expires epoch (V2 query)
  // Set when the request claims SigV4 but the claim cannot be read (missing
  // Credential, bad scope, ...): the message for IncompleteSignature /
  // AuthorizationHeaderMalformed. The fields above are filled as far as
  // possible so the router can still pick a region and service.
  std::string malformed;

  bool is_v4() const { return kind == AuthKind::kHeaderV4 || kind == AuthKind::kQueryV4; }
  bool presigned() const { return kind == AuthKind::kQueryV4 || kind == AuthKind::kQueryV2; }
  // "20150830/us-east-1/service/aws4_request"
  std::string credential_scope() const;
  // The same, appended to `out`: verification builds it in a reused buffer.
  void append_credential_scope(std::string& out) const;
};

// The request's signature facts, or nullopt for an unsigned (anonymous)
// request. Never throws and never hashes; malformed claims land in
// `SigV4Info::malformed`.
std::optional<SigV4Info> parse_sigv4(const http::Request& request);

// How AWS words signature errors differs between service families.
enum class ErrorStyle {
  kQuery,  // query/ec2/rest-xml (not S3): 403 SignatureDoesNotMatch, 400 IncompleteSignature
  kJson,   // json/rest-json/cbor: 400 InvalidSignatureException, 400 IncompleteSignatureException
  kS3,     // S3: 403 SignatureDoesNotMatch, 403 RequestTimeTooSkewed, 403 AccessDenied
           // "Request has expired", 400 AuthorizationHeaderMalformed, ...
};

struct VerifyOptions {
  // Error wording; nullopt picks kS3 for the signing name "s3" and kQuery otherwise.
  std::optional<ErrorStyle> style;
  // S3 signs the path as sent (no dot-segment removal, no double encoding);
  // every other service normalizes and encodes twice. nullopt: S3 rules iff
  // the signing name is "s3".
  std::optional<bool> s3_path_rules;
  double max_skew_seconds = 15 * 60;
  // Checks that a literal x-amz-content-sha256 equals sha256(body) (S3 does;
  // 400 XAmzContentSHA256Mismatch). Off when the body is not in memory.
  bool check_payload_hash = true;
};

// Verifies a SigV4 request (header or presigned) against the secret key of
// `info.access_key_id`; throws AwsError when it does not hold. Finding the
// secret, and the error for an unknown key, are the caller's business.
// A streaming body (x-amz-content-sha256: STREAMING-...) is only checked up
// to its seed signature here; decode it with aws_chunked.hpp.
// Also throws for `info.malformed` and for the V2 kinds (see verify_s3_sigv2).
void verify_sigv4(const http::Request& request, const SigV4Info& info,
                  std::string_view secret_key, double now_epoch,
                  const VerifyOptions& options = {});

// S3's legacy signature (HMAC-SHA1): "Authorization: AWS AKID:sig", or the
// AWSAccessKeyId/Signature/Expires query that boto3 still produces for
// presigned URLs when given a custom endpoint_url. `virtual_host_bucket` is
// the bucket the Host names (virtual-hosted style), "" for path style. Errors
// are S3's (SignatureDoesNotMatch, AccessDenied "Request has expired",
// RequestTimeTooSkewed).
void verify_s3_sigv2(const http::Request& request, const SigV4Info& info,
                     std::string_view secret_key, double now_epoch,
                     std::string_view virtual_host_bucket = "");

// Throws the malformed-signature error for `info` when `info.malformed` is set.
void throw_if_malformed(const SigV4Info& info, ErrorStyle style);

// The error AWS gives for an access key it does not know
// (query: 403 InvalidClientTokenId; JSON: 400 UnrecognizedClientException;
// S3: 403 InvalidAccessKeyId).
AwsError unknown_access_key_error(ErrorStyle style, std::string_view access_key_id);

// --- Building blocks, shared with aws_chunked and the tests -----------------

// kSecret -> kDate -> kRegion -> kService -> kSigning, cached per thread by
// (secret, date, region, service) because every request needs one.
std::string signing_key(std::string_view secret_key, std::string_view date,
                        std::string_view region, std::string_view service);

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedTrailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

// The canonical request as the verifier computes it for `info`.
// `s3_path_rules` as in VerifyOptions (resolved).
std::string canonical_request(const http::Request& request, const SigV4Info& info,
                              bool s3_path_rules);
// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>"
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

// --- Signing (a client's side; tests and presigned URLs Terrarium hands out) --

struct Credentials {
  std::string access_key_id;
  std::string secret_key;
  std::string session_token;  // "" for long-term keys
};

struct SignParams {
  std::string region = "us-east-1";
  std::string service;
  double time = 0;  // epoch seconds
  // Value of x-amz-content-sha256 to send and sign; "" signs sha256(body)
  // without sending the header (as non-S3 SDKs do).
  std::string payload_hash;
  bool s3_path_rules = false;
};

// Adds X-Amz-Date (and X-Amz-Security-Token, X-Amz-Content-Sha256 when set)
// and an Authorization header signing every header of `request` (which must
// carry Host). Returns the signature.
std::string sign_request(http::Request& request, const Credentials& creds,
                         const SignParams& params);

// Rewrites `request.target` into a presigned URL valid for `expires_seconds`,
// signing Host and whatever other headers the request carries. Returns the
// signature. Presigned requests sign UNSIGNED-PAYLOAD for S3 rules and
// sha256(body) otherwise, unless `params.payload_hash` says otherwise.
std::string presign_request(http::Request& request, const Credentials& creds,
                            const SignParams& params, int64_t expires_seconds);

}  // namespace terrarium::auth
