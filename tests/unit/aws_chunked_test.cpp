// aws-chunked bodies: AWS's documented signed example, botocore's unsigned
// trailer form, signed trailers, and every way a body can be broken.
#include "auth/aws_chunked.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

using namespace terrarium;
using namespace terrarium::auth;

namespace {

// "Signature Calculations for the Authorization Header: Transferring Payload
// in Multiple Chunks" (Amazon S3 API reference): 65 KiB of 'a' in 64 KiB chunks.
constexpr const char* kDocSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr const char* kDocSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

http::Request doc_request() {
  http::Request r;
  r.method = "PUT";
  r.target = "/examplebucket/chunkObject.txt";
  r.headers.emplace("Host", "s3.amazonaws.com");
  r.headers.emplace("x-amz-date", "20130524T000000Z");
  r.headers.emplace("x-amz-storage-class", "REDUCED_REDUNDANCY");
  r.headers.emplace(
      "Authorization",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
      "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
      "x-amz-decoded-content-length;x-amz-storage-class,Signature=" +
          std::string(kDocSeed));
  r.headers.emplace("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  r.headers.emplace("Content-Encoding", "aws-chunked");
  r.headers.emplace("x-amz-decoded-content-length", "66560");
  r.headers.emplace("Content-Length", "66824");
  r.body = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
           std::string(65536, 'a') +
           "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
           std::string(1024, 'a') +
           "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
  return r;
}

double doc_time() { return *parse_amz_date("20130524T000000Z"); }

ChunkSigning doc_signing() {
  const auto info = parse_sigv4(doc_request());
  return chunk_signing(*info, kDocSecret);
}

std::string decode_in_slices(std::string_view body, ChunkedMode mode,
                             const std::optional<ChunkSigning>& signing, size_t slice,
                             Trailers* trailers = nullptr) {
  AwsChunkedDecoder d(mode, signing);
  std::string out;
  for (size_t pos = 0; pos < body.size(); pos += slice) d.feed(body.substr(pos, slice), out);
  d.finish();
  EXPECT_TRUE(d.done());
  EXPECT_EQ(d.decoded_size(), out.size());
  if (trailers) *trailers = d.trailers();
  return out;
}

void expect_error(const std::string& body, ChunkedMode mode,
                  const std::optional<ChunkSigning>& signing, const std::string& code,
                  int status) {
  try {
    decode_in_slices(body, mode, signing, body.size() ? body.size() : 1);
    ADD_FAILURE() << "accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), code) << e.message();
    EXPECT_EQ(e.http_status(), status);
  }
}

}  // namespace

TEST(AwsChunked, AwsDocumentationExample) {
  const http::Request req = doc_request();
  // The seed signature is the request's own, verified the ordinary way.
  const auto info = parse_sigv4(req);
  ASSERT_TRUE(info.has_value());
  EXPECT_NO_THROW(verify_sigv4(req, *info, kDocSecret, doc_time()));
  ASSERT_EQ(chunked_mode(req), ChunkedMode::kSigned);

  const DecodedBody decoded = decode_aws_chunked(req, ChunkedMode::kSigned, doc_signing());
  EXPECT_EQ(decoded.body, std::string(66560, 'a'));
  EXPECT_TRUE(decoded.trailers.empty());

  // Any split of the input decodes the same.
  for (size_t slice : {1u, 7u, 100u, 4096u, 65536u, 70000u})
    EXPECT_EQ(decode_in_slices(req.body, ChunkedMode::kSigned, doc_signing(), slice),
              std::string(66560, 'a'))
        << slice;

  // Our encoder produces the documented bytes exactly.
  EXPECT_EQ(encode_aws_chunked(std::string(66560, 'a'), 65536, ChunkedMode::kSigned, doc_signing()),
            req.body);
}

TEST(AwsChunked, SignedChainRejectsTampering) {
  const std::string body = doc_request().body;
  {
    std::string b = body;
    b[100] = 'b';  // a data byte in the first chunk
    expect_error(b, ChunkedMode::kSigned, doc_signing(), "SignatureDoesNotMatch", 403);
  }
  {
    std::string b = body;
    b[b.find("0055627c")] = '1';  // the second chunk's signature
    expect_error(b, ChunkedMode::kSigned, doc_signing(), "SignatureDoesNotMatch", 403);
  }
  {
    // Chunks are chained: a valid final chunk cannot be moved or dropped.
    const std::string b = body.substr(0, body.find("\r\n400;") + 2) +
                          body.substr(body.find("0;chunk-signature=b6c6"));
    expect_error(b, ChunkedMode::kSigned, doc_signing(), "SignatureDoesNotMatch", 403);
  }
  {
    ChunkSigning wrong_seed = doc_signing();
    wrong_seed.seed_signature[0] = '5';
    expect_error(body, ChunkedMode::kSigned, wrong_seed, "SignatureDoesNotMatch", 403);
  }
  // Without signing (verification off) the same bytes decode.
  std::string b = body;
  b[100] = 'b';
  EXPECT_EQ(decode_in_slices(b, ChunkedMode::kSigned, std::nullopt, 1000).size(), 66560u);
}

TEST(AwsChunked, UnsignedTrailerAsBotocoreSendsIt) {
  // botocore.httpchecksum.AwsChunkedWrapper(chunk_size=10), CRC32 trailer.
  const std::string body =
      "a\r\nhello worl\r\na\r\nd, hello c\r\n5\r\nhunks\r\n0\r\nx-amz-checksum-crc32:NH1v3g==\r\n\r\n";
  http::Request r;
  r.method = "PUT";
  r.target = "/b/k";
  r.headers.emplace("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  r.headers.emplace("Content-Encoding", "aws-chunked");
  r.headers.emplace("X-Amz-Trailer", "x-amz-checksum-crc32");
  r.headers.emplace("X-Amz-Decoded-Content-Length", "25");
  r.body = body;
  ASSERT_EQ(chunked_mode(r), ChunkedMode::kUnsignedWithTrailer);
  const DecodedBody d = decode_aws_chunked(r, ChunkedMode::kUnsignedWithTrailer, std::nullopt);
  EXPECT_EQ(d.body, "hello world, hello chunks");
  ASSERT_EQ(d.trailers.size(), 1u);
  EXPECT_EQ(d.trailers[0].first, "x-amz-checksum-crc32");
  EXPECT_EQ(d.trailers[0].second, "NH1v3g==");
  for (size_t slice = 1; slice < body.size(); ++slice)
    EXPECT_EQ(decode_in_slices(body, ChunkedMode::kUnsignedWithTrailer, std::nullopt, slice),
              "hello world, hello chunks");
  EXPECT_EQ(encode_aws_chunked("hello world, hello chunks", 10, ChunkedMode::kUnsignedWithTrailer,
                               std::nullopt, {{"x-amz-checksum-crc32", "NH1v3g=="}}),
            body);

  r.headers.erase("X-Amz-Decoded-Content-Length");
  r.headers.emplace("X-Amz-Decoded-Content-Length", "26");
  try {
    decode_aws_chunked(r, ChunkedMode::kUnsignedWithTrailer, std::nullopt);
    ADD_FAILURE() << "length mismatch accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "IncompleteBody");
  }
}

TEST(AwsChunked, SignedTrailer) {
  const std::string payload(20000, 'z');
  const Trailers trailers{{"x-amz-checksum-crc32c", "sOO8/Q=="}};
  const std::string body =
      encode_aws_chunked(payload, 8192, ChunkedMode::kSignedWithTrailer, doc_signing(), trailers);
  EXPECT_NE(body.find("x-amz-trailer-signature:"), std::string::npos);
  Trailers got;
  EXPECT_EQ(decode_in_slices(body, ChunkedMode::kSignedWithTrailer, doc_signing(), 333, &got),
            payload);
  EXPECT_EQ(got, trailers);

  std::string changed = body;
  changed.replace(changed.find("sOO8/Q=="), 8, "AAAAAA==");
  expect_error(changed, ChunkedMode::kSignedWithTrailer, doc_signing(), "SignatureDoesNotMatch",
               403);

  std::string unsigned_trailer = body;
  const auto sig = unsigned_trailer.find("x-amz-trailer-signature:");
  unsigned_trailer.erase(sig, unsigned_trailer.find("\r\n", sig) + 2 - sig);
  expect_error(unsigned_trailer, ChunkedMode::kSignedWithTrailer, doc_signing(), "InvalidRequest",
               400);
}

TEST(AwsChunked, Malformed) {
  const auto unsigned_mode = ChunkedMode::kUnsignedWithTrailer;
  expect_error("zz\r\nhello\r\n0\r\n\r\n", unsigned_mode, std::nullopt, "InvalidRequest", 400);
  expect_error("5\r\nhelloXX0\r\n\r\n", unsigned_mode, std::nullopt, "InvalidRequest", 400);
  expect_error("5\nhello\r\n0\r\n\r\n", unsigned_mode, std::nullopt, "InvalidRequest", 400);
  expect_error("5\r\nhel", unsigned_mode, std::nullopt, "IncompleteBody", 400);
  expect_error("5\r\nhello\r\n", unsigned_mode, std::nullopt, "IncompleteBody", 400);
  expect_error("", unsigned_mode, std::nullopt, "IncompleteBody", 400);
  expect_error("ffffffffffffffffff\r\n", unsigned_mode, std::nullopt, "InvalidRequest", 400);
  expect_error(std::string(10000, '1'), unsigned_mode, std::nullopt, "InvalidRequest", 400);
  expect_error("0\r\nno-colon-here\r\n\r\n", unsigned_mode, std::nullopt, "InvalidRequest", 400);
  expect_error("0\r\n\r\ngarbage", unsigned_mode, std::nullopt, "InvalidRequest", 400);
  // Signed mode needs a signature on every chunk.
  expect_error("5\r\nhello\r\n0\r\n\r\n", ChunkedMode::kSigned, doc_signing(), "InvalidRequest",
               400);
  // A missing final CRLF after the last chunk is tolerated, as AWS does.
  EXPECT_EQ(decode_in_slices("5\r\nhello\r\n0\r\n", unsigned_mode, std::nullopt, 3), "hello");
}

TEST(AwsChunked, ModeDetection) {
  http::Request r;
  EXPECT_FALSE(chunked_mode(r).has_value());
  r.headers.emplace("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  EXPECT_FALSE(chunked_mode(r).has_value());
  r.headers.emplace("Content-Encoding", "gzip, aws-chunked");
  EXPECT_EQ(chunked_mode(r), ChunkedMode::kUnsignedWithTrailer);
  http::Request s;
  s.headers.emplace("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
  EXPECT_EQ(chunked_mode(s), ChunkedMode::kSignedWithTrailer);
}
