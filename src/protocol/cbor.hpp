#pragma once
// A small CBOR (RFC 8949) codec for the smithy-rpc-v2-cbor protocol: every
// major type, definite and indefinite lengths, tags (tag 1 = epoch time), and
// half/single/double floats.
// Why our own: Debian packages no C++ CBOR library of good standing (libcbor
// is C and allocation-heavy; TinyCBOR is not packaged), and the subset AWS
// uses fits in a few hundred lines.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/value.hpp"

namespace terrarium::protocol::cbor {

// Malformed or truncated input, or nesting deeper than kMaxDepth.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr std::size_t kMaxDepth = 128;

// One decoded data item. A plain tree: decoding is shape-agnostic, the
// protocol then interprets it by the operation's shape.
struct Item {
  enum class Kind {
    kUnsigned,   // major 0: `uint`
    kNegative,   // major 1: the value is -1 - `uint`
    kBytes,      // major 2: `bytes`
    kText,       // major 3: `bytes` (UTF-8)
    kArray,      // major 4: `items`
    kMap,        // major 5: `items` = key, value, key, value... in wire order
    kTag,        // major 6: tag number `uint`, tagged item `items[0]`
    kBool,       // major 7 (20/21): `boolean`
    kNull,       // major 7 (22)
    kUndefined,  // major 7 (23)
    kSimple,     // major 7, other simple values: `uint`
    kFloat,      // major 7 (25/26/27): `number`
  };

  Kind kind = Kind::kNull;
  uint64_t uint = 0;
  double number = 0;
  bool boolean = false;
  std::string bytes;
  // kArray: the elements; kMap: keys and values alternating (a vector of
  // pairs would need Item complete, which clang's libstdc++ checks insist
  // on); kTag: the one tagged item.
  std::vector<Item> items;

  bool is_integer() const { return kind == Kind::kUnsigned || kind == Kind::kNegative; }
  bool is_number() const { return is_integer() || kind == Kind::kFloat; }
  bool is_string() const { return kind == Kind::kText || kind == Kind::kBytes; }
  bool is_null() const { return kind == Kind::kNull || kind == Kind::kUndefined; }
  // The numeric value (integers converted; may round beyond 2^53).
  double as_double() const;
  // Maps: entry count, and the i-th key and value.
  std::size_t map_size() const { return items.size() / 2; }
  const Item& map_key(std::size_t i) const { return items[2 * i]; }
  const Item& map_value(std::size_t i) const { return items[2 * i + 1]; }
  // Map entry whose key is the text `key`; null when absent.
  const Item* find(std::string_view key) const;
};

// Decodes exactly one data item filling all of `data` (trailing bytes are an
// error). Throws DecodeError.
Item decode(std::string_view data);

// Writes CBOR. Containers are written definite-length when the count is
// known up front, else indefinite (begin_*() + end()).
class Writer {
 public:
  void unsigned_int(uint64_t v) { head(0, v); }
  // Major type 1: the integer -1 - `n` (reaches -2^64, beyond int64).
  void negative_int(uint64_t n) { head(1, n); }
  void signed_int(int64_t v);
  void bytes(std::string_view b) {
    head(2, b.size());
    out_ += b;
  }
  void text(std::string_view s) {
    head(3, s.size());
    out_ += s;
  }
  void array(std::size_t count) { head(4, count); }
  void map(std::size_t count) { head(5, count); }
  void begin_array() { out_ += static_cast<char>(0x9f); }
  void begin_map() { out_ += static_cast<char>(0xbf); }
  void end() { out_ += static_cast<char>(0xff); }
  void tag(uint64_t t) { head(6, t); }
  void boolean(bool b) { out_ += static_cast<char>(b ? 0xf5 : 0xf4); }
  void null() { out_ += static_cast<char>(0xf6); }
  void undefined() { out_ += static_cast<char>(0xf7); }
  void simple(uint8_t v);
  // NaN and infinities as half floats (as AWS SDKs write them), everything
  // else as a double.
  void float64(double d);
  // Single precision when `d` survives the round trip, else double.
  void float32(double d);
  // Epoch seconds as tag 1: an integer when whole, else a double.
  void timestamp(double epoch_seconds);
  // A generic Value (document members, unknown shapes): objects as maps,
  // arrays, strings as text, numbers, booleans, null.
  void value(const Value& v, std::size_t depth = 0);

  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void head(unsigned major, uint64_t arg);
  std::string out_;
};

// Encodes a whole item tree (round trips decode()).
std::string encode(const Item& item);

// Shape-less conversion, for documents: text/bytes -> string, integers ->
// int64 (uint64 above INT64_MAX), floats -> double, tag 1 -> its number,
// other tags -> the tagged item, maps -> object (non-text keys stringified),
// undefined -> null.
Value to_value(const Item& item, std::size_t depth = 0);

}  // namespace terrarium::protocol::cbor
