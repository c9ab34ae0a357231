#include "auth/sigv4.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <stdexcept>

#include "auth/sha256.hpp"
#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/string_map.hpp"
#include "core/time_format.hpp"

namespace terrarium::auth {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr int64_t kMaxPresignExpires = 7 * 24 * 3600;

// --- small checks ------------------------------------------------------------

bool is_lower_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// --- small string helpers ------------------------------------------------------

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// How many characters of `s` come before the first one that is ' ' or
// below (where every whitespace character is): eight at a time, for the
// signed header values every request copies.
size_t length_before_space(std::string_view s) {
  static_assert(std::endian::native == std::endian::little, "the first character is the lowest byte");
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    // The classic "has a byte less than n" test: the top bit of each byte
    // below 0x21 is set. A borrow can also set it in a byte above a real
    // one, never below, so the lowest set bit names the first such byte.
    const uint64_t low = (word - kOnes * 0x21) & ~word & (kOnes * 0x80);
    if (low) return i + static_cast<size_t>(std::countr_zero(low)) / 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) > ' ') ++i;
  return i;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Value jstr(std::string_view s) { return Value(boost::json::string(s)); }

// Writes a string piece by piece into a buffer that keeps its size: SigV4
// builds a canonical request and a string to sign for every signed request,
// and a string's append or push_back costs several times the copying (a
// capacity check, a terminator and, for push_back, a call). The buffer is
// sized once to its capacity (a per-thread buffer keeps it between requests)
// and grows only when a piece does not fit; on destruction it is cut to
// what was written.
class BufferWriter {
 public:
  explicit BufferWriter(std::string& out) : out_(out) {
    out_.resize(std::max<size_t>(out_.capacity(), 256));
    next_ = out_.data();
    end_ = next_ + out_.size();
  }
  BufferWriter(const BufferWriter&) = delete;
  BufferWriter& operator=(const BufferWriter&) = delete;
  ~BufferWriter() { out_.resize(static_cast<size_t>(next_ - out_.data())); }

  void put(std::string_view s) {
    if (static_cast<size_t>(end_ - next_) < s.size()) grow(s.size());
    std::memcpy(next_, s.data(), s.size());
    next_ += s.size();
  }
  void put(char c) {
    if (next_ == end_) grow(1);
    *next_++ = c;
  }

 private:
  [[gnu::noinline]] void grow(size_t n) {
    const size_t used = static_cast<size_t>(next_ - out_.data());
    out_.resize(std::max(2 * out_.size(), used + n));
    next_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  char* next_;
  char* end_;
};

// SigV4's Trimall: strip, and turn every run of whitespace (folded lines
// included) into one space.
void put_trimall(BufferWriter& out, std::string_view value) {
  value = trim(value);
  // Runs of non-space characters are copied whole: most values have none
  // but single spaces, and this runs for every signed header of every request.
  while (!value.empty()) {
    size_t word = length_before_space(value);
    // Control characters other than whitespace belong to the word.
    while (word < value.size() && !is_space(value[word]))
      word += 1 + length_before_space(value.substr(word + 1));
    out.put(value.substr(0, word));
    value.remove_prefix(word);
    if (value.empty()) break;
    out.put(' ');
    while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  }
}

std::vector<std::string> split_signed_headers(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto semi = s.find(';');
    std::string_view part = trim(s.substr(0, semi));
    if (!part.empty()) out.push_back(ascii_lower(part));
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return out;
}

// "AKID/20150830/us-east-1/service/aws4_request"; the key id is whatever
// precedes the last four parts. Returns false when there are not five parts.
bool parse_credential(std::string_view credential, SigV4Info& info) {
  std::string_view parts[4];
  std::string_view rest = credential;
  for (int i = 3; i >= 0; --i) {
    const auto slash = rest.rfind('/');
    if (slash == std::string_view::npos) {
      info.access_key_id = std::string(rest);
      return false;
    }
    parts[i] = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  info.access_key_id = std::string(rest);
  info.scope_date = std::string(parts[0]);
  info.region = std::string(parts[1]);
  info.service = std::string(parts[2]);
  info.terminator = std::string(parts[3]);
  return !rest.empty();
}

std::string amz_date_from_date_header(const http::Request& request) {
  auto date = request.header("date");
  if (!date) return "";
  if (auto t = parse_rfc822(*date)) return format_amz_date(*t);
  if (auto t = parse_iso8601(*date)) return format_amz_date(*t);
  return std::string(trim(*date));
}

void parse_authorization_v4(std::string_view value, const http::Request& request,
                            SigV4Info& info) {
  info.kind = AuthKind::kHeaderV4;
  std::string_view params = trim(value.substr(kAlgorithm.size()));
  bool have_credential = false, have_signed = false, have_signature = false;
  std::string problems;
  while (!params.empty()) {
    const auto comma = params.find(',');
    std::string_view part = trim(params.substr(0, comma));
    params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      problems += "'" + std::string(part) +
                  "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
                  std::string(value) + "'. ";
      continue;
    }
    const std::string_view key = trim(part.substr(0, eq));
    const std::string_view val = trim(part.substr(eq + 1));
    if (key == "Credential") {
      have_credential = true;
      if (!parse_credential(val, info))
        problems += "Credential is malformed: '" + std::string(val) + "'. ";
    } else if (key == "SignedHeaders") {
      have_signed = true;
      info.signed_headers = split_signed_headers(val);
    } else if (key == "Signature") {
      have_signature = true;
      info.signature = std::string(val);
    }
  }
  if (!have_credential) problems += "Authorization header requires 'Credential' parameter. ";
  if (!have_signature) problems += "Authorization header requires 'Signature' parameter. ";
  if (!have_signed) problems += "Authorization header requires 'SignedHeaders' parameter. ";
  if (auto d = request.header("x-amz-date"))
    info.amz_date = std::string(trim(*d));
  else
    info.amz_date = amz_date_from_date_header(request);
  if (info.amz_date.empty())
    problems +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (!problems.empty()) info.malformed = problems + "Authorization=" + std::string(value);
  if (auto t = request.header("x-amz-security-token")) info.session_token = *t;
}

// Reads the presigned (query) form. Only keys AWS defines are decoded.
void parse_query_v4(const std::vector<std::pair<std::string, std::string>>& params,
                    const http::Request& request, SigV4Info& info) {
  info.kind = AuthKind::kQueryV4;
  bool have_algorithm = false, have_credential = false, have_signature = false,
       have_date = false, have_signed = false, have_expires = false;
  std::string problems;
  for (const auto& [key, value] : params) {
    if (key == "X-Amz-Algorithm") {
      have_algorithm = true;
      if (value != kAlgorithm)
        problems += "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\". ";
    } else if (key == "X-Amz-Credential") {
      have_credential = true;
      if (!parse_credential(value, info))
        problems += "Credential is malformed: '" + value + "'. ";
    } else if (key == "X-Amz-Date") {
      have_date = true;
      info.amz_date = value;
    } else if (key == "X-Amz-Expires") {
      have_expires = true;
      char* end = nullptr;
      const long long n = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0')
        problems += "X-Amz-Expires should be a number. ";
      else
        info.expires = n;
    } else if (key == "X-Amz-SignedHeaders") {
      have_signed = true;
      info.signed_headers = split_signed_headers(value);
    } else if (key == "X-Amz-Signature") {
      have_signature = true;
      info.signature = value;
    } else if (key == "X-Amz-Security-Token") {
      info.session_token = value;
    }
  }
  if (info.session_token.empty())
    if (auto t = request.header("x-amz-security-token")) info.session_token = *t;
  if (!(have_algorithm && have_credential && have_signature && have_date && have_signed &&
        have_expires))
    problems +=
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters. ";
  if (!problems.empty()) info.malformed = std::string(trim(problems));
}

// --- canonical request ----------------------------------------------------------

// RFC 3986 section 5.2.4, plus the removal of empty segments AWS requires.
std::string remove_dot_segments(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view seg = path.substr(pos, slash - pos);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    pos = slash + 1;
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) result.push_back('/');
    result.append(out[i]);
  }
  if (path.back() == '/' && !out.empty()) result.push_back('/');
  return result.empty() ? "/" : result;
}

// True when normalizing and encoding `path` would give `path` back: it has
// only unreserved characters and slashes, and no empty, "." or ".." segment.
// Most request paths are like that ("/" for every query and JSON call), and
// then they need no copy.
bool is_canonical_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    const bool last = slash == std::string_view::npos;  // which may be empty: "/a/"
    if (segment == "." || segment == ".." || (segment.empty() && !last)) return false;
    for (char c : segment)
      if (!http::is_unreserved(c)) return false;
    if (last) return true;
    path.remove_prefix(slash + 1);
  }
}

// Candidates for the canonical URI, most likely first. S3 signs the path as
// the client meant it encoded once; SDKs agree with AWS's own encoding except
// in corner cases (characters they leave unencoded), so the path as sent is
// the fallback.
struct CanonicalUris {
  std::string candidates[2];
  size_t count = 1;
};

CanonicalUris canonical_uris(const http::Request& request, bool s3_path_rules) {
  const std::string_view raw = request.raw_path();
  CanonicalUris out;
  if (is_canonical_path(raw)) {
    out.candidates[0] = raw;
  } else if (!s3_path_rules) {
    out.candidates[0] = http::percent_encode(remove_dot_segments(raw), true);
  } else {
    out.candidates[0] = raw.empty() ? "/" : http::percent_encode(http::percent_decode(raw), true);
    if (!raw.empty() && raw != out.candidates[0]) out.candidates[out.count++] = raw;
  }
  return out;
}

std::string canonical_query(const http::Request& request, bool presigned) {
  std::string_view q = request.raw_query();
  if (q.empty()) return "";
  std::vector<std::pair<std::string, std::string>> pairs;
  while (true) {
    const auto amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    if (!part.empty()) {
      const auto eq = part.find('=');
      std::string key = http::percent_encode(http::percent_decode(part.substr(0, eq)));
      std::string value = eq == std::string_view::npos
                              ? std::string()
                              : http::percent_encode(http::percent_decode(part.substr(eq + 1)));
      if (!(presigned && key == "X-Amz-Signature"))
        pairs.emplace_back(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += k;
    out.push_back('=');
    out += v;
  }
  return out;
}

// The canonical headers block (each line ending in '\n') and the signed
// headers list, in the order the client listed them.
void put_canonical_headers(BufferWriter& out, const http::Request& request,
                           const std::vector<std::string>& signed_headers) {
  for (const auto& name : signed_headers) {
    out.put(name);
    out.put(':');
    // A scan, not a lookup: a request has a dozen headers, and most names
    // differ from `name` in length, which iequals looks at first.
    bool first = true;
    for (const auto& [header, value] : request.headers) {
      if (!iequals(header, name)) continue;
      if (!first) out.put(',');
      put_trimall(out, value);
      first = false;
    }
    out.put('\n');
  }
  out.put('\n');
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i) out.put(';');
    out.put(signed_headers[i]);
  }
  out.put('\n');
}

// The hex SHA-256 of a request body. Clients send the same small bodies
// again and again (every GetCallerIdentity has the same one; pollers repeat
// theirs), so each thread remembers the last few: a repeat costs a compare.
Sha256Hex body_sha256_hex(std::string_view body) {
  if (body.empty()) {
    Sha256Hex empty;
    std::copy(kEmptySha256.begin(), kEmptySha256.end(), empty.begin());
    return empty;
  }
  constexpr size_t kMaxRemembered = 512;
  if (body.size() > kMaxRemembered) return sha256_hex_of(body);
  struct Remembered {
    std::string body;
    Sha256Hex hex;
  };
  constexpr size_t kEntries = 8;
  thread_local std::array<Remembered, kEntries> memo;
  thread_local size_t next = 0;
  for (const Remembered& e : memo)
    if (e.body == body) return e.hex;
  Remembered& e = memo[next];
  next = (next + 1) % kEntries;
  e.body.assign(body);
  e.hex = sha256_hex_of(body);
  return e.hex;
}

// The payload hash the client signed: the request's x-amz-content-sha256
// (`from_header` then tells so, and the hash must match the body when it is
// one), or the body's hash, which is written to `computed`.
std::string_view payload_hash(const http::Request& request, const SigV4Info& info,
                              bool s3_path_rules, Sha256Hex& computed,
                              bool* from_header = nullptr) {
  if (auto h = request.header("x-amz-content-sha256")) {
    if (from_header) *from_header = true;
    return trim(*h);
  }
  if (from_header) *from_header = false;
  if (info.kind == AuthKind::kQueryV4 && s3_path_rules) return kUnsignedPayload;
  computed = body_sha256_hex(request.body);
  return view_of(computed);
}

// Writes the canonical request to `out`, replacing what it held.
void build_canonical_request(std::string& out, const http::Request& request,
                             const SigV4Info& info, std::string_view uri, std::string_view query,
                             std::string_view payload) {
  BufferWriter w(out);
  w.put(request.method);
  w.put('\n');
  w.put(uri);
  w.put('\n');
  w.put(query);
  w.put('\n');
  put_canonical_headers(w, request, info.signed_headers);
  w.put(payload);
}

// Writes "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical
// request)>" to `out`, replacing what it held.
void build_string_to_sign(std::string& out, std::string_view amz_date, std::string_view scope,
                          std::string_view canonical_request) {
  // Everything before the payload hash (the last line) recurs in a client's
  // requests to one path within a second; the payload hash never counts as
  // recurring, so a request not seen before pays for its own blocks.
  const size_t before_payload_hash = canonical_request.rfind('\n') + 1;
  Sha256 hash;
  hash.update_recurring(canonical_request, before_payload_hash);
  BufferWriter w(out);
  w.put(kAlgorithm);
  w.put('\n');
  w.put(amz_date);
  w.put('\n');
  w.put(scope);
  w.put('\n');
  w.put(view_of(hex_of(hash.finish())));
}

// --- errors --------------------------------------------------------------------

constexpr std::string_view kMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kS3MismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "key and signing method.";

AwsError signature_error(ErrorStyle style, std::string message) {
  if (style == ErrorStyle::kJson) return AwsError("InvalidSignatureException", std::move(message), 400);
  return AwsError("SignatureDoesNotMatch", std::move(message), 403);
}

AwsError malformed_error(ErrorStyle style, const SigV4Info& info, std::string message) {
  if (style == ErrorStyle::kS3) {
    if (info.kind == AuthKind::kQueryV4)
      return AwsError("AuthorizationQueryParametersError", std::move(message), 400);
    return AwsError("AuthorizationHeaderMalformed",
                    "The authorization header is malformed; " + message, 400);
  }
  if (style == ErrorStyle::kJson)
    return AwsError("IncompleteSignatureException", std::move(message), 400);
  return AwsError("IncompleteSignature", std::move(message), 400);
}

std::string skew_minutes(double seconds) {
  const double minutes = seconds / 60;
  if (minutes == std::floor(minutes))
    return std::to_string(static_cast<int64_t>(minutes)) + " min.";
  return std::to_string(static_cast<int64_t>(seconds)) + " sec.";
}

void check_time(const SigV4Info& info, double signed_at, double now, ErrorStyle style,
                const VerifyOptions& options) {
  const double skew = options.max_skew_seconds;
  if (info.kind == AuthKind::kQueryV4) {
    const int64_t expires = info.expires.value_or(0);
    if (style == ErrorStyle::kS3) {
      if (expires < 0)
        throw AwsError("AuthorizationQueryParametersError",
                       "X-Amz-Expires must be non-negative", 400);
      if (expires > kMaxPresignExpires)
        throw AwsError("AuthorizationQueryParametersError",
                       "X-Amz-Expires must be less than a week (in seconds) that is; 604800", 400);
      if (now > signed_at + static_cast<double>(expires))
        throw AwsError("AccessDenied", "Request has expired", 403)
            .with_field("X-Amz-Expires", jstr(std::to_string(expires)))
            .with_field("Expires", jstr(format_iso8601(signed_at + static_cast<double>(expires))))
            .with_field("ServerTime", jstr(format_iso8601(std::floor(now))));
      if (signed_at > now + skew)
        throw AwsError("AccessDenied", "Request is not valid yet", 403)
            .with_field("ServerTime", jstr(format_iso8601(std::floor(now))));
      return;
    }
    if (now > signed_at + static_cast<double>(expires))
      throw signature_error(style, "Signature expired: " + info.amz_date + " is now earlier than " +
                                       format_amz_date(now - static_cast<double>(expires)) + " (" +
                                       format_amz_date(now) + " - " +
                                       skew_minutes(static_cast<double>(expires)) + ")");
    if (signed_at > now + skew)
      throw signature_error(style, "Signature not yet current: " + info.amz_date +
                                       " is still later than " + format_amz_date(now + skew) +
                                       " (" + format_amz_date(now) + " + " + skew_minutes(skew) +
                                       ")");
    return;
  }
  if (std::fabs(now - signed_at) <= skew) return;
  if (style == ErrorStyle::kS3)
    throw AwsError("RequestTimeTooSkewed",
                   "The difference between the request time and the current time is too large.",
                   403)
        .with_field("RequestTime", jstr(info.amz_date))
        .with_field("ServerTime", jstr(format_iso8601(std::floor(now))))
        .with_field("MaxAllowedSkewMilliseconds", jstr(std::to_string(static_cast<int64_t>(skew * 1000))));
  if (signed_at < now)
    throw signature_error(style, "Signature expired: " + info.amz_date + " is now earlier than " +
                                     format_amz_date(now - skew) + " (" + format_amz_date(now) +
                                     " - " + skew_minutes(skew) + ")");
  throw signature_error(style, "Signature not yet current: " + info.amz_date +
                                   " is still later than " + format_amz_date(now + skew) + " (" +
                                   format_amz_date(now) + " + " + skew_minutes(skew) + ")");
}

}  // namespace

// --- public: signing keys ------------------------------------------------------------

namespace {

// kSecret -> kDate -> kRegion -> kService -> kSigning, and the HMAC state
// that key signs with.
struct SigningKey {
  std::string raw;
  HmacSha256 mac;
};

const SigningKey& cached_signing_key(std::string_view secret_key, std::string_view date,
                                     std::string_view region, std::string_view service) {
  // Per thread, so the hot path takes no lock; bounded, since scopes change
  // daily and keys come and go.
  thread_local StringMap<SigningKey> cache;
  thread_local std::string buffer;
  const std::string_view cache_key = join_key(buffer, '\0', {secret_key, date, region, service});
  if (auto it = cache.find(cache_key); it != cache.end()) return it->second;
  std::string k = hmac_sha256("AWS4" + std::string(secret_key), date);
  k = hmac_sha256(k, region);
  k = hmac_sha256(k, service);
  k = hmac_sha256(k, kTerminator);
  if (cache.size() >= 1024) cache.clear();
  HmacSha256 mac(k);
  return cache.emplace(std::string(cache_key), SigningKey{std::move(k), mac}).first->second;
}

}  // namespace

std::string signing_key(std::string_view secret_key, std::string_view date,
                        std::string_view region, std::string_view service) {
  return cached_signing_key(secret_key, date, region, service).raw;
}

// --- public: parsing ----------------------------------------------------------------

std::string SigV4Info::credential_scope() const {
  std::string out;
  append_credential_scope(out);
  return out;
}

void SigV4Info::append_credential_scope(std::string& out) const {
  out.reserve(out.size() + scope_date.size() + region.size() + service.size() + terminator.size() + 3);
  for (const std::string* part : {&scope_date, &region, &service}) {
    out.append(*part);
    out.push_back('/');
  }
  out.append(terminator);
}

std::optional<SigV4Info> parse_sigv4(const http::Request& request) {
  if (auto auth = request.header("authorization")) {
    const std::string_view value = trim(*auth);
    SigV4Info info;
    if (value.size() > kAlgorithm.size() && value.substr(0, kAlgorithm.size()) == kAlgorithm &&
        is_space(value[kAlgorithm.size()])) {
      parse_authorization_v4(value, request, info);
      return info;
    }
    if (value.size() > 4 && value.substr(0, 4) == "AWS ") {
      info.kind = AuthKind::kHeaderV2;
      const std::string_view rest = trim(value.substr(4));
      const auto colon = rest.rfind(':');
      if (colon == std::string_view::npos) {
        info.access_key_id = std::string(rest);
        info.malformed = "Authorization header is invalid -- one and only one ' ' (space) required";
      } else {
        info.access_key_id = std::string(rest.substr(0, colon));
        info.signature = std::string(rest.substr(colon + 1));
      }
      if (auto t = request.header("x-amz-security-token")) info.session_token = *t;
      if (auto d = request.header("x-amz-date"))
        info.amz_date = *d;
      else if (auto d2 = request.header("date"))
        info.amz_date = *d2;
      return info;
    }
    // An Authorization header of another scheme claims a signature we cannot
    // read: AWS answers IncompleteSignature rather than treating it as anonymous.
    info.kind = AuthKind::kHeaderV4;
    info.malformed =
        "Authorization header requires 'Credential' parameter. Authorization header requires "
        "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=" + std::string(value);
    return info;
  }

  const std::string_view query = request.raw_query();
  if (query.empty()) return std::nullopt;
  // Cheap test before decoding anything: most requests carry no signature in
  // their query.
  const bool maybe_v4 = query.find("X-Amz-") != std::string_view::npos ||
                        query.find("x-amz-") != std::string_view::npos;
  const bool maybe_v2 = query.find("AWSAccessKeyId=") != std::string_view::npos;
  if (!maybe_v4 && !maybe_v2) return std::nullopt;
  const auto params = request.query_params();
  bool has_v4 = false, has_v2 = false;
  for (const auto& [k, v] : params) {
    if (k == "X-Amz-Algorithm" || k == "X-Amz-Credential" || k == "X-Amz-Signature") has_v4 = true;
    if (k == "AWSAccessKeyId") has_v2 = true;
  }
  SigV4Info info;
  if (has_v4) {
    parse_query_v4(params, request, info);
    return info;
  }
  if (!has_v2) return std::nullopt;
  info.kind = AuthKind::kQueryV2;
  for (const auto& [k, v] : params) {
    if (k == "AWSAccessKeyId") {
      info.access_key_id = v;
    } else if (k == "Signature") {
      info.signature = v;
    } else if (k == "Expires") {
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (!v.empty() && *end == '\0') info.expires = n;
    } else if (k == "SecurityToken" || k == "x-amz-security-token") {
      info.session_token = v;
    } else if (k == "Timestamp") {
      info.amz_date = v;
    }
  }
  return info;
}

// --- public: verification ---------------------------------------------------------------

std::string canonical_request(const http::Request& request, const SigV4Info& info,
                              bool s3_path_rules) {
  Sha256Hex body_hash;
  std::string out;
  build_canonical_request(out, request, info, canonical_uris(request, s3_path_rules).candidates[0],
                          canonical_query(request, info.kind == AuthKind::kQueryV4),
                          payload_hash(request, info, s3_path_rules, body_hash));
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out;
  build_string_to_sign(out, amz_date, scope, canonical_request);
  return out;
}

void throw_if_malformed(const SigV4Info& info, ErrorStyle style) {
  if (!info.malformed.empty()) throw malformed_error(style, info, info.malformed);
}

AwsError unknown_access_key_error(ErrorStyle style, std::string_view access_key_id) {
  switch (style) {
    case ErrorStyle::kS3:
      return AwsError("InvalidAccessKeyId",
                      "The AWS Access Key Id you provided does not exist in our records.", 403)
          .with_field("AWSAccessKeyId", jstr(access_key_id));
    case ErrorStyle::kJson:
      return AwsError("UnrecognizedClientException",
                      "The security token included in the request is invalid.", 400);
    case ErrorStyle::kQuery:
      break;
  }
  return AwsError("InvalidClientTokenId",
                  "The security token included in the request is invalid.", 403);
}

void verify_sigv4(const http::Request& request, const SigV4Info& info,
                  std::string_view secret_key, double now_epoch, const VerifyOptions& options) {
  const bool s3 = options.s3_path_rules.value_or(info.service == "s3");
  const ErrorStyle style =
      options.style.value_or(info.service == "s3" ? ErrorStyle::kS3 : ErrorStyle::kQuery);

  if (!info.is_v4()) {
    if (style == ErrorStyle::kS3)
      throw AwsError("InvalidRequest",
                     "The authorization mechanism you have provided is not supported. Please use "
                     "AWS4-HMAC-SHA256.",
                     400);
    throw malformed_error(style, info,
                          "Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported.");
  }
  throw_if_malformed(info, style);

  const auto signed_at = parse_amz_date(info.amz_date);
  if (!signed_at) {
    if (style == ErrorStyle::kS3)
      throw malformed_error(style, info,
                            info.kind == AuthKind::kQueryV4
                                ? "X-Amz-Date must be in the ISO8601 Long Format "
                                  "\"yyyyMMdd'T'HHmmss'Z'\""
                                : "the X-Amz-Date header is not in ISO8601 Long Format "
                                  "\"yyyyMMdd'T'HHmmss'Z'\"");
    throw malformed_error(style, info,
                          "Date must be in ISO-8601 'basic format'. Got '" + info.amz_date +
                              "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (info.terminator != kTerminator) {
    if (style == ErrorStyle::kS3)
      throw malformed_error(style, info,
                            "the Credential has an incorrect terminal \"" + info.terminator +
                                "\". This endpoint uses \"aws4_request\".");
    throw signature_error(style, "Credential should be scoped with a valid terminator: "
                                 "'aws4_request', not '" + info.terminator + "'.");
  }
  if (info.scope_date != std::string_view(info.amz_date).substr(0, 8)) {
    if (style == ErrorStyle::kS3)
      throw malformed_error(style, info,
                            "Invalid credential date. Date is not the same as X-Amz-Date.");
    throw signature_error(style, "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                                 "version of date from HTTP: '" + info.scope_date + "' != '" +
                                     info.amz_date.substr(0, 8) + "', from '" + info.amz_date +
                                     "'.");
  }
  check_time(info, *signed_at, now_epoch, style, options);

  bool hash_from_header = false;
  Sha256Hex body_hash;
  const std::string_view payload = payload_hash(request, info, s3, body_hash, &hash_from_header);
  const bool literal_hash = hash_from_header && is_lower_hex64(payload);
  if (hash_from_header && style == ErrorStyle::kS3 && !literal_hash &&
      payload != kUnsignedPayload && payload != kStreamingPayload &&
      payload != kStreamingPayloadTrailer && payload != kStreamingUnsignedTrailer &&
      payload != "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" &&
      payload != "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER")
    throw AwsError("InvalidArgument",
                   "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                   "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value.",
                   400);

  const HmacSha256& key =
      cached_signing_key(secret_key, info.scope_date, info.region, info.service).mac;
  const std::string query = canonical_query(request, info.kind == AuthKind::kQueryV4);
  const CanonicalUris uris = canonical_uris(request, s3);
  // Every signed request builds these strings: per-thread buffers keep
  // their capacity, so building them allocates nothing.
  thread_local std::string creq, sts, scope;
  scope.clear();
  info.append_credential_scope(scope);
  std::string first_creq, first_sts;  // for the error, when nothing matches
  bool matched = false;
  for (size_t i = 0; i < uris.count && !matched; ++i) {
    build_canonical_request(creq, request, info, uris.candidates[i], query, payload);
    build_string_to_sign(sts, info.amz_date, scope, creq);
    matched = constant_time_equal(view_of(hex_of(key.mac(sts))), info.signature);
    if (!matched && i == 0) {
      first_creq = creq;
      first_sts = sts;
    }
  }
  if (!matched) {
    if (style == ErrorStyle::kS3)
      throw AwsError("SignatureDoesNotMatch", std::string(kS3MismatchMessage), 403)
          .with_field("AWSAccessKeyId", jstr(info.access_key_id))
          .with_field("StringToSign", jstr(first_sts))
          .with_field("SignatureProvided", jstr(info.signature))
          .with_field("CanonicalRequest", jstr(first_creq));
    // AWS used to append these, and for a local cloud they are what a
    // developer needs to find out which side is wrong.
    throw signature_error(style, std::string(kMismatchMessage) +
                                     "\n\nThe Canonical String for this request should have "
                                     "been\n'" + first_creq +
                                     "'\n\nThe String-to-Sign should have been\n'" + first_sts +
                                     "'\n");
  }

  if (literal_hash && options.check_payload_hash) {
    const Sha256Hex actual = body_sha256_hex(request.body);
    if (view_of(actual) != payload) {
      if (style == ErrorStyle::kS3)
        throw AwsError("XAmzContentSHA256Mismatch",
                       "The provided 'x-amz-content-sha256' header does not match what was "
                       "computed.",
                       400)
            .with_field("ClientComputedContentSHA256", jstr(payload))
            .with_field("S3ComputedContentSHA256", jstr(view_of(actual)));
      throw signature_error(style, std::string(kMismatchMessage));
    }
  }
}

// --- public: S3 SigV2 ----------------------------------------------------------------------

namespace {

// The query parameters that are part of an S3 V2 canonical resource.
constexpr std::string_view kV2SubResources[] = {
    "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory",
    "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "partNumber",
    "policy", "replication", "requestPayment", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "restore", "select", "select-type",
    "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning",
    "versions", "website"};

std::string hmac_sha1_base64(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA1", nullptr, key.data(), key.size(),
                 reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out,
                 &len))
    throw std::runtime_error("OpenSSL: HMAC-SHA1 failed");
  return base64_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

std::string v2_string_to_sign(const http::Request& request, const SigV4Info& info,
                              std::string_view virtual_host_bucket) {
  const bool query = info.kind == AuthKind::kQueryV2;
  const auto params = request.query_params();
  auto header_or_param = [&](std::string_view name) -> std::string {
    if (auto h = request.header(name)) return std::string(trim(*h));
    if (query)
      for (const auto& [k, v] : params)
        if (ascii_lower(k) == name) return v;
    return "";
  };
  std::string out = request.method + "\n";
  out += header_or_param("content-md5") + "\n";
  out += header_or_param("content-type") + "\n";
  if (query) {
    for (const auto& [k, v] : params)
      if (k == "Expires") out += v;
  } else if (!request.header("x-amz-date")) {
    out += std::string(trim(request.header("date").value_or("")));
  }
  out += "\n";
  // x-amz-* headers (and, presigned, x-amz-* parameters), sorted, values joined.
  std::vector<std::pair<std::string, std::string>> amz;
  for (const auto& [name, value] : request.headers) {
    std::string l = ascii_lower(name);
    if (l.rfind("x-amz-", 0) == 0) amz.emplace_back(std::move(l), std::string(trim(value)));
  }
  if (query)
    for (const auto& [k, v] : params) {
      std::string l = ascii_lower(k);
      if (l.rfind("x-amz-", 0) == 0) amz.emplace_back(std::move(l), v);
    }
  std::stable_sort(amz.begin(), amz.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < amz.size();) {
    out += amz[i].first;
    out.push_back(':');
    size_t j = i;
    for (; j < amz.size() && amz[j].first == amz[i].first; ++j) {
      if (j > i) out.push_back(',');
      out += amz[j].second;
    }
    out.push_back('\n');
    i = j;
  }
  if (!virtual_host_bucket.empty()) out += "/" + std::string(virtual_host_bucket);
  out += request.raw_path();
  std::vector<std::pair<std::string, std::string>> sub;
  std::string_view q = request.raw_query();
  while (!q.empty()) {
    const auto amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    const auto eq = part.find('=');
    const std::string_view key = part.substr(0, eq);
    if (std::find(std::begin(kV2SubResources), std::end(kV2SubResources), key) !=
        std::end(kV2SubResources))
      sub.emplace_back(std::string(key), eq == std::string_view::npos
                                             ? std::string("\x01")  // no '=' at all
                                             : http::percent_decode(part.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  std::stable_sort(sub.begin(), sub.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < sub.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    out += sub[i].first;
    if (sub[i].second != "\x01") out += "=" + sub[i].second;
  }
  return out;
}

}  // namespace

void verify_s3_sigv2(const http::Request& request, const SigV4Info& info,
                     std::string_view secret_key, double now_epoch,
                     std::string_view virtual_host_bucket) {
  if (info.kind != AuthKind::kHeaderV2 && info.kind != AuthKind::kQueryV2)
    throw std::invalid_argument("verify_s3_sigv2 needs a V2 request");
  if (!info.malformed.empty()) throw AwsError("InvalidArgument", info.malformed, 400);
  if (info.kind == AuthKind::kQueryV2) {
    if (!info.expires)
      throw AwsError("AccessDenied",
                     "Query-string authentication requires the Signature, Expires and "
                     "AWSAccessKeyId parameters",
                     403);
    if (now_epoch > static_cast<double>(*info.expires))
      throw AwsError("AccessDenied", "Request has expired", 403)
          .with_field("Expires", jstr(format_iso8601(static_cast<double>(*info.expires))))
          .with_field("ServerTime", jstr(format_iso8601(std::floor(now_epoch))));
  } else {
    std::optional<double> t;
    if (auto d = request.header("x-amz-date")) t = parse_any_timestamp(trim(*d));
    else if (auto d2 = request.header("date")) t = parse_any_timestamp(trim(*d2));
    if (!t)
      throw AwsError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header",
                     403);
    if (std::fabs(now_epoch - *t) > 15 * 60)
      throw AwsError("RequestTimeTooSkewed",
                     "The difference between the request time and the current time is too large.",
                     403)
          .with_field("ServerTime", jstr(format_iso8601(std::floor(now_epoch))))
          .with_field("MaxAllowedSkewMilliseconds", jstr("900000"));
  }
  const std::string sts = v2_string_to_sign(request, info, virtual_host_bucket);
  if (!constant_time_equal(hmac_sha1_base64(secret_key, sts), info.signature))
    throw AwsError("SignatureDoesNotMatch", std::string(kS3MismatchMessage), 403)
        .with_field("AWSAccessKeyId", jstr(info.access_key_id))
        .with_field("StringToSign", jstr(sts))
        .with_field("SignatureProvided", jstr(info.signature));
}

// --- public: signing -------------------------------------------------------------------------

namespace {

// Headers a signer leaves out, as botocore does: hop-by-hop ones a proxy may
// rewrite, and the signature itself.
bool unsignable_header(std::string_view lname) {
  static constexpr std::string_view kSkip[] = {
      "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
      "x-amzn-trace-id"};
  return std::find(std::begin(kSkip), std::end(kSkip), lname) != std::end(kSkip);
}

std::vector<std::string> headers_to_sign(const http::Request& request) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) {
    std::string l = ascii_lower(name);
    if (!unsignable_header(l)) names.push_back(std::move(l));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

void set_header(http::Request& request, std::string_view name, std::string value) {
  request.headers.erase(std::string(name));
  request.headers.emplace(std::string(name), std::move(value));
}

SigV4Info signer_info(const Credentials& creds, const SignParams& params, AuthKind kind) {
  SigV4Info info;
  info.kind = kind;
  info.access_key_id = creds.access_key_id;
  info.amz_date = format_amz_date(params.time);
  info.scope_date = info.amz_date.substr(0, 8);
  info.region = params.region;
  info.service = params.service;
  info.terminator = std::string(kTerminator);
  info.session_token = creds.session_token;
  return info;
}

std::string sign_info(const http::Request& request, const SigV4Info& info,
                      const Credentials& creds, bool s3_path_rules) {
  const std::string creq = canonical_request(request, info, s3_path_rules);
  const std::string sts = string_to_sign(info.amz_date, info.credential_scope(), creq);
  return hex_encode(
      hmac_sha256(signing_key(creds.secret_key, info.scope_date, info.region, info.service), sts));
}

}  // namespace

std::string sign_request(http::Request& request, const Credentials& creds,
                         const SignParams& params) {
  SigV4Info info = signer_info(creds, params, AuthKind::kHeaderV4);
  request.headers.erase("authorization");
  set_header(request, "X-Amz-Date", info.amz_date);
  if (!creds.session_token.empty()) set_header(request, "X-Amz-Security-Token", creds.session_token);
  if (!params.payload_hash.empty())
    set_header(request, "X-Amz-Content-Sha256", params.payload_hash);
  info.signed_headers = headers_to_sign(request);
  info.signature = sign_info(request, info, creds, params.s3_path_rules);
  std::string signed_list;
  for (const auto& h : info.signed_headers) {
    if (!signed_list.empty()) signed_list.push_back(';');
    signed_list += h;
  }
  request.headers.emplace("Authorization", std::string(kAlgorithm) + " Credential=" +
                                               creds.access_key_id + "/" +
                                               info.credential_scope() + ", SignedHeaders=" +
                                               signed_list + ", Signature=" + info.signature);
  return info.signature;
}

std::string presign_request(http::Request& request, const Credentials& creds,
                            const SignParams& params, int64_t expires_seconds) {
  SigV4Info info = signer_info(creds, params, AuthKind::kQueryV4);
  request.headers.erase("authorization");
  if (!params.payload_hash.empty())
    set_header(request, "X-Amz-Content-Sha256", params.payload_hash);
  info.signed_headers = headers_to_sign(request);
  info.expires = expires_seconds;
  std::string signed_list;
  for (const auto& h : info.signed_headers) {
    if (!signed_list.empty()) signed_list.push_back(';');
    signed_list += h;
  }
  std::string query(request.raw_query());
  auto add = [&query](std::string_view k, std::string_view v) {
    if (!query.empty()) query.push_back('&');
    query += http::percent_encode(k);
    query.push_back('=');
    query += http::percent_encode(v);
  };
  add("X-Amz-Algorithm", kAlgorithm);
  add("X-Amz-Credential", creds.access_key_id + "/" + info.credential_scope());
  add("X-Amz-Date", info.amz_date);
  add("X-Amz-Expires", std::to_string(expires_seconds));
  add("X-Amz-SignedHeaders", signed_list);
  if (!creds.session_token.empty()) add("X-Amz-Security-Token", creds.session_token);
  request.target = std::string(request.raw_path()) + "?" + query;
  info.signature = sign_info(request, info, creds, params.s3_path_rules);
  request.target += "&X-Amz-Signature=" + info.signature;
  return info.signature;
}

}  // namespace terrarium::auth
