// libFuzzer target: reading SigV4/V2 signature claims from fuzzed headers and
// query strings (auth::parse_sigv4, which must never throw), verifying them,
// and the aws-chunked body decoders: on fuzzed bodies fed in fuzzed pieces
// (the outcome must not depend on how the body is split), and on bodies we
// encode and sign ourselves (which must decode back to the payload).
#include <optional>

#include "auth/aws_chunked.hpp"
#include "auth/sigv4.hpp"
#include "fuzz_common.hpp"
#include "protocol/rest_bindings.hpp"

using namespace terrarium;

namespace {

const std::vector<std::string> kQueryNames = {
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature",
    "X-Amz-Date",      "X-Amz-Expires",    "X-Amz-Security-Token", "AWSAccessKeyId",
    "Signature",       "Expires"};
const std::vector<std::string> kHeaderNames = {
    "Authorization", "Host", "X-Amz-Date", "Date", "X-Amz-Security-Token",
    "x-amz-content-sha256", "Content-Encoding", "x-amz-decoded-content-length"};
const std::vector<std::string> kAuthPrefixes = {
    "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 ", "AWS ", "AWS4-ECDSA-P256-SHA256 ", ""};
const std::vector<std::string> kContentSha = {
    std::string(auth::kStreamingPayload), std::string(auth::kStreamingPayloadTrailer),
    std::string(auth::kStreamingUnsignedTrailer), std::string(auth::kUnsignedPayload)};
constexpr double kNow = 1440938160;  // 2015-08-30T12:36:00Z, the SigV4 suite's date
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct Outcome {
  bool ok = false;
  std::string body;
  auth::Trailers trailers;
};

// Decodes `body` fed in pieces whose sizes come from `split_seed` (0: whole).
Outcome decode(auth::ChunkedMode mode, const std::optional<auth::ChunkSigning>& signing,
               std::string_view body, uint32_t split_seed) {
  Outcome o;
  fuzz::expect_only_aws_errors("AwsChunkedDecoder", [&] {
    auth::AwsChunkedDecoder decoder(mode, signing);
    uint32_t seed = split_seed;
    while (!body.empty()) {
      size_t n = body.size();
      if (seed != 0) {
        n = std::min<size_t>(n, 1 + seed % 7);
        seed = seed * 1103515245u + 12345u;
      }
      decoder.feed(body.substr(0, n), o.body);
      body.remove_prefix(n);
    }
    decoder.finish();
    o.trailers = decoder.trailers();
    o.ok = true;
  });
  return o;
}

void check_same(const Outcome& whole, const Outcome& split) {
  if (whole.ok != split.ok)
    fuzz::fail("AwsChunkedDecoder", whole.ok ? "fails only when split" : "fails only when whole");
  if (whole.ok && (whole.body != split.body || whole.trailers != split.trailers))
    fuzz::fail("AwsChunkedDecoder", "output depends on how the input is split");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const bool roundtrip = fdp.ConsumeBool();
  const auto mode = static_cast<auth::ChunkedMode>(fdp.ConsumeIntegralInRange<int>(0, 2));
  const auto split_seed = fdp.ConsumeIntegral<uint32_t>();

  http::Request request;
  request.method = fdp.PickValueInArray({"GET", "PUT", "POST"});
  std::string target = "/" + fdp.ConsumeRandomLengthString(64);
  for (int n = fdp.ConsumeIntegralInRange<int>(0, 5); n > 0; --n) {
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += fuzz::pick_name(fdp, kQueryNames);
    target += "=";
    target += fdp.ConsumeRandomLengthString(96);
  }
  request.target = std::move(target);
  for (int n = fdp.ConsumeIntegralInRange<int>(0, 6); n > 0; --n) {
    std::string name = fuzz::pick_name(fdp, kHeaderNames);
    std::string value;
    if (name == "Authorization")
      value = kAuthPrefixes[fdp.ConsumeIntegralInRange<size_t>(0, kAuthPrefixes.size() - 1)];
    else if (name == "x-amz-content-sha256" && fdp.ConsumeBool())
      value = kContentSha[fdp.ConsumeIntegralInRange<size_t>(0, kContentSha.size() - 1)];
    value += fdp.ConsumeRandomLengthString(256);
    request.headers.emplace(std::move(name), std::move(value));
  }

  fuzz::print_request("sigv4", request);
  std::optional<auth::SigV4Info> info;
  try {
    info = auth::parse_sigv4(request);
  } catch (const std::exception& e) {
    fuzz::fail("parse_sigv4", std::string("threw: ") + e.what());
  }
  std::optional<auth::ChunkSigning> signing;
  if (info) {
    (void)info->credential_scope();
    for (auto style : {auth::ErrorStyle::kQuery, auth::ErrorStyle::kJson, auth::ErrorStyle::kS3})
      fuzz::expect_only_aws_errors("throw_if_malformed", [&] { auth::throw_if_malformed(*info, style); });
    if (info->is_v4()) {
      fuzz::expect_only_aws_errors("verify_sigv4",
                                   [&] { auth::verify_sigv4(request, *info, kSecret, kNow); });
      fuzz::expect_only_aws_errors("chunk_signing",
                                   [&] { signing = auth::chunk_signing(*info, kSecret); });
    } else {
      fuzz::expect_only_aws_errors("verify_s3_sigv2",
                                   [&] { auth::verify_s3_sigv2(request, *info, kSecret, kNow); });
    }
  }
  if (!signing && fdp.ConsumeBool())
    signing = auth::ChunkSigning{auth::signing_key(kSecret, "20150830", "us-east-1", "s3"),
                                 "20150830T123600Z", "20150830/us-east-1/s3/aws4_request",
                                 std::string(64, 'a')};
  try {
    (void)auth::chunked_mode(request);
  } catch (const std::exception& e) {
    fuzz::fail("chunked_mode", std::string("threw: ") + e.what());
  }

  if (roundtrip) {
    // Encode a fuzzed payload ourselves: it must decode back, whole or split.
    // Signing a body needs keys (encode_aws_chunked rejects it otherwise).
    const auto enc_mode = signing ? mode : auth::ChunkedMode::kUnsignedWithTrailer;
    const size_t chunk_size = fdp.ConsumeIntegralInRange<size_t>(1, 64);
    auth::Trailers trailers;
    if (enc_mode != auth::ChunkedMode::kSigned && fdp.ConsumeBool()) {
      // A checksum's alphabet: framing characters in a value are the caller's bug.
      std::string value = fdp.ConsumeRandomLengthString(12);
      for (char& c : value) c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="[static_cast<unsigned char>(c) % 65];
      trailers.emplace_back("x-amz-checksum-crc32", value);
    }
    const std::string payload = fdp.ConsumeRemainingBytesAsString();
    std::string encoded;
    fuzz::expect_only_aws_errors("encode_aws_chunked", [&] {
      encoded = auth::encode_aws_chunked(payload, chunk_size, enc_mode, signing, trailers);
    });
    if (encoded.empty()) return 0;
    request.body = encoded;
    fuzz::print_request("aws-chunked round trip", request);
    const Outcome whole = decode(enc_mode, signing, encoded, 0);
    if (!whole.ok) fuzz::fail("aws-chunked", "our own encoding does not decode");
    if (whole.body != payload || whole.trailers != trailers)
      fuzz::fail("aws-chunked", "payload or trailers do not round-trip");
    check_same(whole, decode(enc_mode, signing, encoded, split_seed | 1));
    return 0;
  }

  request.body = fdp.ConsumeRemainingBytesAsString();
  fuzz::print_request("aws-chunked decode", request);
  check_same(decode(mode, signing, request.body, 0),
             decode(mode, signing, request.body, split_seed | 1));
  fuzz::expect_only_aws_errors("decode_aws_chunked",
                               [&] { (void)auth::decode_aws_chunked(request, mode, signing); });
  fuzz::expect_only_aws_errors("rest::decoded_body",
                               [&] { (void)protocol::rest::decoded_body(request); });
  return 0;
}
