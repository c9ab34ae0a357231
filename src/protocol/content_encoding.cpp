#include "protocol/content_encoding.hpp"

#include <boost/beast/zlib/inflate_stream.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/ascii.hpp"
#include "core/aws_error.hpp"

namespace terrarium::protocol {

namespace zlib = boost::beast::zlib;

namespace {

[[noreturn]] void bad(const std::string& code, const std::string& what) {
  throw AwsError(code, "Cannot decode the gzip request body: " + what, 400);
}

// Skips one RFC 1952 member header; returns the offset of the deflate data.
std::size_t skip_header(std::string_view d, std::size_t pos, const std::string& code) {
  auto need = [&](std::size_t n) {
    if (d.size() - pos < n) bad(code, "truncated header");
  };
  need(10);
  if (static_cast<uint8_t>(d[pos]) != 0x1f || static_cast<uint8_t>(d[pos + 1]) != 0x8b)
    bad(code, "not gzip data");
  if (d[pos + 2] != 8) bad(code, "unknown compression method");
  const auto flags = static_cast<uint8_t>(d[pos + 3]);
  pos += 10;
  if (flags & 0x04) {  // FEXTRA
    need(2);
    const std::size_t len = static_cast<uint8_t>(d[pos]) | (static_cast<uint8_t>(d[pos + 1]) << 8);
    pos += 2;
    need(len);
    pos += len;
  }
  for (uint8_t bit : {uint8_t{0x08}, uint8_t{0x10}}) {  // FNAME, FCOMMENT
    if (!(flags & bit)) continue;
    const auto end = d.find('\0', pos);
    if (end == std::string_view::npos) bad(code, "truncated header");
    pos = end + 1;
  }
  if (flags & 0x02) {  // FHCRC
    need(2);
    pos += 2;
  }
  return pos;
}

}  // namespace

std::string gunzip(std::string_view data, const std::string& error_code) {
  std::string out;
  std::size_t pos = 0;
  std::vector<char> buffer(64 * 1024);
  while (pos < data.size()) {
    pos = skip_header(data, pos, error_code);
    zlib::inflate_stream inflater;
    inflater.reset(15);
    zlib::z_params zs;
    zs.next_in = data.data() + pos;
    zs.avail_in = data.size() - pos;
    for (;;) {
      zs.next_out = buffer.data();
      zs.avail_out = buffer.size();
      boost::system::error_code ec;
      inflater.write(zs, zlib::Flush::sync, ec);
      out.append(buffer.data(), buffer.size() - zs.avail_out);
      if (out.size() > kMaxInflatedBody) bad(error_code, "the body inflates beyond the limit");
      if (ec == zlib::error::end_of_stream) break;
      if (ec && ec != zlib::error::need_buffers) bad(error_code, ec.message());
      if (zs.avail_in == 0 && zs.avail_out != 0) bad(error_code, "truncated deflate data");
    }
    pos = data.size() - zs.avail_in;
    if (data.size() - pos < 8) bad(error_code, "truncated trailer");
    pos += 8;  // CRC32 and ISIZE: TCP already guards integrity, so not rechecked
  }
  return out;
}

std::string decoded_body(const http::Request& request, const std::string& error_code) {
  const auto header = request.header("Content-Encoding");
  if (!header) return request.body;
  // Encodings are listed in the order they were applied; undo them backwards.
  std::vector<std::string> encodings;
  std::string current;
  for (char c : *header) {
    if (c == ',') {
      if (!current.empty()) encodings.push_back(current);
      current.clear();
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      current += ascii_lower(c);
    }
  }
  if (!current.empty()) encodings.push_back(current);
  std::string body = request.body;
  for (auto it = encodings.rbegin(); it != encodings.rend(); ++it) {
    if (*it == "gzip" || *it == "x-gzip")
      body = gunzip(body, error_code);
    else if (*it != "identity" && *it != "aws-chunked")
      break;  // an encoding of the user's own (rest bindings): the body stays as sent
  }
  return body;
}

}  // namespace terrarium::protocol
