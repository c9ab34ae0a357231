#pragma once
// Request bodies that clients compress. botocore gzips large request bodies
// of operations with the `requestcompression` trait (CloudWatch PutMetricData,
// for one) and says so in Content-Encoding.
#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace terrarium::protocol {

// The largest body we inflate to; a bigger result is refused rather than
// letting a tiny "zip bomb" take the server's memory.
constexpr std::size_t kMaxInflatedBody = 64u << 20;

// Decompresses a gzip stream (RFC 1952, one or more members). Throws
// AwsError(error_code, ..., 400) when `data` is not valid gzip or inflates
// beyond kMaxInflatedBody.
std::string gunzip(std::string_view data, const std::string& error_code);

// The request body with the transport encodings the client applied undone:
// gzip/x-gzip from the outermost inwards (identity and aws-chunked are
// skipped). Undoing stops at the first other encoding, which belongs to the
// user's data (e.g. S3's Content-Encoding metadata). Throws as gunzip().
std::string decoded_body(const http::Request& request, const std::string& error_code);

}  // namespace terrarium::protocol
