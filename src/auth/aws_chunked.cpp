#include "auth/aws_chunked.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "auth/sha256.hpp"
#include "core/ascii.hpp"
#include "core/aws_error.hpp"

namespace terrarium::auth {

namespace {

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
// A chunk header is "<hex size>;chunk-signature=<64 hex>": far below this.
constexpr size_t kMaxLine = 4096;
constexpr size_t kMaxTrailerBytes = 16 * 1024;

AwsError malformed(std::string detail) {
  return AwsError("InvalidRequest", "Malformed aws-chunked body: " + std::move(detail), 400);
}

AwsError chunk_signature_mismatch() {
  return AwsError("SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.",
                  403);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string chunk_string_to_sign(const ChunkSigning& s, std::string_view previous,
                                 std::string_view data_hash_hex) {
  std::string out;
  out.reserve(64 + s.amz_date.size() + s.scope.size() + 3 * 64);
  out.append("AWS4-HMAC-SHA256-PAYLOAD\n").append(s.amz_date).append(1, '\n');
  out.append(s.scope).append(1, '\n').append(previous).append(1, '\n');
  out.append(kEmptySha256).append(1, '\n').append(data_hash_hex);
  return out;
}

std::string trailer_string_to_sign(const ChunkSigning& s, std::string_view previous,
                                   std::string_view canonical_trailers) {
  std::string out;
  out.append("AWS4-HMAC-SHA256-TRAILER\n").append(s.amz_date).append(1, '\n');
  out.append(s.scope).append(1, '\n').append(previous).append(1, '\n');
  out.append(sha256_hex(canonical_trailers));
  return out;
}

bool signed_mode(ChunkedMode m) {
  return m == ChunkedMode::kSigned || m == ChunkedMode::kSignedWithTrailer;
}

}  // namespace

std::optional<ChunkedMode> chunked_mode(const http::Request& request) {
  if (auto h = request.header("x-amz-content-sha256")) {
    const std::string_view v = trim(*h);
    if (v == kStreamingPayload || v == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")
      return ChunkedMode::kSigned;
    if (v == kStreamingPayloadTrailer || v == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER")
      return ChunkedMode::kSignedWithTrailer;
    if (v == kStreamingUnsignedTrailer) return ChunkedMode::kUnsignedWithTrailer;
  }
  if (auto enc = request.header("content-encoding")) {
    // The header may list several codings ("aws-chunked,gzip").
    std::string_view rest = *enc;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (ascii_lower(trim(rest.substr(0, comma))) == "aws-chunked")
        return ChunkedMode::kUnsignedWithTrailer;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return std::nullopt;
}

ChunkSigning chunk_signing(const SigV4Info& info, std::string_view secret_key) {
  return ChunkSigning{signing_key(secret_key, info.scope_date, info.region, info.service),
                      info.amz_date, info.credential_scope(), info.signature};
}

// --- decoder ---------------------------------------------------------------------------

struct AwsChunkedDecoder::State {
  enum class Phase { kHeader, kData, kDataCrlf, kTrailers, kDone };

  ChunkedMode mode;
  std::optional<ChunkSigning> signing;
  Phase phase = Phase::kHeader;
  std::string line;  // a header or trailer line being assembled
  uint64_t remaining = 0;
  int crlf_seen = 0;
  std::string chunk_signature;  // claimed signature of the chunk being read
  std::string previous;         // last verified signature in the chain
  Sha256 hash;
  uint64_t decoded = 0;
  Trailers trailers;
  std::string canonical_trailers;
  std::string trailer_signature;
  size_t trailer_bytes = 0;

  void verify_chunk(std::string_view data_hash_hex) {
    if (!signing) return;
    const std::string expected =
        hex_encode(hmac_sha256(signing->signing_key,
                               chunk_string_to_sign(*signing, previous, data_hash_hex)));
    if (!constant_time_equal(expected, chunk_signature)) throw chunk_signature_mismatch();
    previous = chunk_signature;
  }

  // "<hex>[;chunk-signature=<sig>][;other-ext]"
  void on_header_line(std::string_view l) {
    const auto semi = l.find(';');
    const std::string_view size_text = trim(l.substr(0, semi));
    if (size_text.empty() || size_text.size() > 16) throw malformed("bad chunk size");
    uint64_t size = 0;
    for (char c : size_text) {
      int v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else throw malformed("bad chunk size '" + std::string(size_text) + "'");
      size = size * 16 + static_cast<uint64_t>(v);
    }
    chunk_signature.clear();
    std::string_view ext = semi == std::string_view::npos ? std::string_view() : l.substr(semi + 1);
    while (!ext.empty()) {
      const auto next = ext.find(';');
      const std::string_view item = trim(ext.substr(0, next));
      const auto eq = item.find('=');
      if (eq != std::string_view::npos && trim(item.substr(0, eq)) == "chunk-signature")
        chunk_signature = std::string(trim(item.substr(eq + 1)));
      if (next == std::string_view::npos) break;
      ext.remove_prefix(next + 1);
    }
    if (signed_mode(mode) && chunk_signature.empty())
      throw malformed("chunk without chunk-signature");
    remaining = size;
    if (size == 0) {
      verify_chunk(kEmptySha256);
      phase = Phase::kTrailers;
    } else {
      hash = Sha256();
      phase = Phase::kData;
    }
  }

  void on_trailer_line(std::string_view l) {
    if (l.empty()) {
      finish_trailers();
      return;
    }
    const auto colon = l.find(':');
    if (colon == std::string_view::npos || colon == 0) throw malformed("bad trailer line");
    std::string name = ascii_lower(trim(l.substr(0, colon)));
    std::string value(trim(l.substr(colon + 1)));
    if (name == "x-amz-trailer-signature") {
      trailer_signature = std::move(value);
      return;
    }
    canonical_trailers.append(name).append(1, ':').append(value).append(1, '\n');
    trailers.emplace_back(std::move(name), std::move(value));
  }

  void finish_trailers() {
    if (mode == ChunkedMode::kSignedWithTrailer && signing && !trailers.empty()) {
      if (trailer_signature.empty()) throw malformed("missing x-amz-trailer-signature");
      const std::string expected = hex_encode(hmac_sha256(
          signing->signing_key, trailer_string_to_sign(*signing, previous, canonical_trailers)));
      if (!constant_time_equal(expected, trailer_signature)) throw chunk_signature_mismatch();
    }
    phase = Phase::kDone;
  }

  // Appends to `line` up to CRLF; returns true with the complete line.
  bool take_line(std::string_view& in, size_t limit) {
    const auto lf = in.find('\n');
    const std::string_view part = in.substr(0, lf);
    if (line.size() + part.size() > limit) throw malformed("line too long");
    line.append(part);
    if (lf == std::string_view::npos) {
      in = {};
      return false;
    }
    in.remove_prefix(lf + 1);
    if (line.empty() || line.back() != '\r') throw malformed("line not terminated by CRLF");
    line.pop_back();
    return true;
  }
};

AwsChunkedDecoder::AwsChunkedDecoder(ChunkedMode mode, std::optional<ChunkSigning> signing)
    : state_(std::make_unique<State>()) {
  state_->mode = mode;
  if (signed_mode(mode) && signing) {
    state_->previous = signing->seed_signature;
    state_->signing = std::move(signing);
  }
}

AwsChunkedDecoder::~AwsChunkedDecoder() = default;
AwsChunkedDecoder::AwsChunkedDecoder(AwsChunkedDecoder&&) noexcept = default;
AwsChunkedDecoder& AwsChunkedDecoder::operator=(AwsChunkedDecoder&&) noexcept = default;

void AwsChunkedDecoder::feed(std::string_view in, std::string& out) {
  State& s = *state_;
  using Phase = State::Phase;
  while (!in.empty()) {
    switch (s.phase) {
      case Phase::kHeader:
        if (s.take_line(in, kMaxLine)) {
          const std::string l = std::move(s.line);
          s.line.clear();
          s.on_header_line(l);
        }
        break;
      case Phase::kData: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(s.remaining, in.size()));
        const std::string_view data = in.substr(0, n);
        if (s.signing) s.hash.update(data);
        out.append(data);
        s.decoded += n;
        s.remaining -= n;
        in.remove_prefix(n);
        if (s.remaining == 0) {
          if (s.signing) s.verify_chunk(s.hash.hex_digest());
          s.phase = Phase::kDataCrlf;
          s.crlf_seen = 0;
        }
        break;
      }
      case Phase::kDataCrlf:
        while (!in.empty() && s.crlf_seen < 2) {
          if (in.front() != (s.crlf_seen == 0 ? '\r' : '\n'))
            throw malformed("chunk data not followed by CRLF");
          in.remove_prefix(1);
          ++s.crlf_seen;
        }
        if (s.crlf_seen == 2) s.phase = Phase::kHeader;
        break;
      case Phase::kTrailers: {
        const size_t before = in.size();
        const bool complete = s.take_line(in, kMaxLine);
        s.trailer_bytes += before - in.size();
        if (s.trailer_bytes > kMaxTrailerBytes) throw malformed("trailers too large");
        if (complete) {
          const std::string l = std::move(s.line);
          s.line.clear();
          s.on_trailer_line(l);
        }
        break;
      }
      case Phase::kDone:
        // Some clients end with a stray CRLF; anything else is not ours.
        for (char c : in)
          if (c != '\r' && c != '\n') throw malformed("data after the final chunk");
        in = {};
        break;
    }
  }
}

void AwsChunkedDecoder::finish() {
  State& s = *state_;
  // The final CRLF after the zero chunk is sometimes left off; the body is
  // complete when the zero chunk itself and any trailers have arrived.
  if (s.phase == State::Phase::kTrailers && s.line.empty()) s.finish_trailers();
  if (s.phase != State::Phase::kDone)
    throw AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
}

bool AwsChunkedDecoder::done() const { return state_->phase == State::Phase::kDone; }
uint64_t AwsChunkedDecoder::decoded_size() const { return state_->decoded; }
const Trailers& AwsChunkedDecoder::trailers() const { return state_->trailers; }

DecodedBody decode_aws_chunked(const http::Request& request, ChunkedMode mode,
                               const std::optional<ChunkSigning>& signing) {
  AwsChunkedDecoder decoder(mode, signing);
  DecodedBody result;
  std::optional<uint64_t> expected;
  if (auto h = request.header("x-amz-decoded-content-length")) {
    const std::string digits(*h);  // strtoull needs the terminator
    char* end = nullptr;
    const unsigned long long n = std::strtoull(digits.c_str(), &end, 10);
    if (h->empty() || *end != '\0')
      throw AwsError("InvalidArgument", "x-amz-decoded-content-length is not a number", 400);
    expected = n;
    result.body.reserve(static_cast<size_t>(std::min<uint64_t>(n, request.body.size())));
  }
  decoder.feed(request.body, result.body);
  decoder.finish();
  if (expected && *expected != decoder.decoded_size())
    throw AwsError("IncompleteBody",
                   "You did not provide the number of bytes specified by the Content-Length "
                   "HTTP header",
                   400);
  result.trailers = decoder.trailers();
  return result;
}

std::string encode_aws_chunked(std::string_view payload, size_t chunk_size, ChunkedMode mode,
                               const std::optional<ChunkSigning>& signing,
                               const Trailers& trailers) {
  if (chunk_size == 0) throw std::invalid_argument("chunk_size must be positive");
  const bool sign = signed_mode(mode) && signing.has_value();
  if (signed_mode(mode) && !sign) throw std::invalid_argument("signed mode needs signing");
  std::string out;
  std::string previous = sign ? signing->seed_signature : std::string();
  auto emit = [&](std::string_view data) {
    char size_hex[24];
    std::snprintf(size_hex, sizeof size_hex, "%zx", data.size());
    out += size_hex;
    if (sign) {
      previous = hex_encode(hmac_sha256(
          signing->signing_key, chunk_string_to_sign(*signing, previous, sha256_hex(data))));
      out += ";chunk-signature=";
      out += previous;
    }
    out += "\r\n";
    out.append(data);
    if (!data.empty()) out += "\r\n";
  };
  for (size_t pos = 0; pos < payload.size(); pos += chunk_size)
    emit(payload.substr(pos, chunk_size));
  emit({});
  if (mode != ChunkedMode::kSigned) {
    std::string canonical;
    for (const auto& [name, value] : trailers) {
      out += name + ":" + value + "\r\n";
      canonical += ascii_lower(name) + ":" + value + "\n";
    }
    if (sign && !trailers.empty())
      out += "x-amz-trailer-signature:" +
             hex_encode(hmac_sha256(signing->signing_key,
                                    trailer_string_to_sign(*signing, previous, canonical))) +
             "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace terrarium::auth
