#pragma once
// aws-chunked request bodies (Content-Encoding: aws-chunked), which S3
// clients send for streaming uploads:
//
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD          <hex>;chunk-signature=<sig>\r\n<data>\r\n ...
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER  same, then signed trailers
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER          <hex>\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n
//
// Each chunk signature signs the previous one, starting from the request's
// own (seed) signature, so the chain proves the body. The decoder is
// incremental so a server can stream a large upload to disk without holding it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.hpp"
#include "http/message.hpp"

namespace terrarium::auth {

enum class ChunkedMode {
  kSigned,               // STREAMING-AWS4-HMAC-SHA256-PAYLOAD (and the ECDSA variant)
  kSignedWithTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kUnsignedWithTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER, or aws-chunked without a
                         // streaming x-amz-content-sha256
};

// How the request's body is encoded, from x-amz-content-sha256 and
// Content-Encoding; nullopt when it is a plain body.
std::optional<ChunkedMode> chunked_mode(const http::Request& request);

// What verifying the chunk signature chain needs.
struct ChunkSigning {
  std::string signing_key;  // raw, as signing_key() returns it
  std::string amz_date;
  std::string scope;           // credential scope
  std::string seed_signature;  // the request's signature (hex)
};

// The chain's starting point for a request whose seed signature
// verify_sigv4() accepted.
ChunkSigning chunk_signing(const SigV4Info& info, std::string_view secret_key);

using Trailers = std::vector<std::pair<std::string, std::string>>;

class AwsChunkedDecoder {
 public:
  // Without `signing`, chunk signatures are read but not checked (signature
  // verification off, or SigV4a which we do not verify).
  AwsChunkedDecoder(ChunkedMode mode, std::optional<ChunkSigning> signing);
  ~AwsChunkedDecoder();
  AwsChunkedDecoder(AwsChunkedDecoder&&) noexcept;
  AwsChunkedDecoder& operator=(AwsChunkedDecoder&&) noexcept;

  // Consumes encoded bytes (any split), appending the decoded payload to
  // `out`. Throws AwsError: 400 for malformed framing, 403
  // SignatureDoesNotMatch for a broken chain.
  void feed(std::string_view encoded, std::string& out);
  // The input has ended: throws 400 IncompleteBody unless the final chunk
  // (and trailers) arrived.
  void finish();

  bool done() const;
  uint64_t decoded_size() const;
  // Trailing headers (x-amz-checksum-crc32, ...) as sent, names lowercased;
  // x-amz-trailer-signature is checked and left out.
  const Trailers& trailers() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct DecodedBody {
  std::string body;
  Trailers trailers;
};

// Decodes a whole in-memory aws-chunked body and checks it against
// x-amz-decoded-content-length when present. `signing` as for the decoder.
DecodedBody decode_aws_chunked(const http::Request& request, ChunkedMode mode,
                               const std::optional<ChunkSigning>& signing);

// --- Encoding, for tests and clients -----------------------------------------------

// Encodes `payload` in chunks of `chunk_size` bytes. With `signing`, chunks
// are signed (kSigned / kSignedWithTrailer); `trailers` are appended for the
// trailer modes (and signed in kSignedWithTrailer).
std::string encode_aws_chunked(std::string_view payload, size_t chunk_size, ChunkedMode mode,
                               const std::optional<ChunkSigning>& signing,
                               const Trailers& trailers = {});

}  // namespace terrarium::auth
