#include "protocol/cbor.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace terrarium::protocol::cbor {

namespace {

constexpr uint8_t kBreak = 0xff;
constexpr unsigned kIndefinite = 31;

double half_to_double(uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double value;
  if (exponent == 0)
    value = std::ldexp(mantissa, -24);
  else if (exponent == 31)
    value = mantissa == 0 ? std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::quiet_NaN();
  else
    value = std::ldexp(mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -value : value;
}

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  Item item(std::size_t depth) {
    if (depth > kMaxDepth) throw DecodeError("CBOR nesting is too deep");
    const uint8_t initial = byte();
    if (initial == kBreak) throw DecodeError("unexpected CBOR break");
    return item_after(initial, depth);
  }

  bool done() const { return pos_ == data_.size(); }

 private:
  Item item_after(uint8_t initial, std::size_t depth) {
    const unsigned major = initial >> 5;
    const unsigned info = initial & 0x1f;
    Item out;
    switch (major) {
      case 0:
      case 1:
        if (info == kIndefinite) throw DecodeError("indefinite-length integer");
        out.kind = major == 0 ? Item::Kind::kUnsigned : Item::Kind::kNegative;
        out.uint = argument(info);
        return out;
      case 2:
      case 3:
        out.kind = major == 2 ? Item::Kind::kBytes : Item::Kind::kText;
        if (info == kIndefinite) {
          for (;;) {
            const uint8_t chunk = byte();
            if (chunk == kBreak) break;
            if ((chunk >> 5) != major || (chunk & 0x1f) == kIndefinite)
              throw DecodeError("bad chunk in indefinite-length string");
            out.bytes += take(argument(chunk & 0x1f));
          }
        } else {
          out.bytes = std::string(take(argument(info)));
        }
        return out;
      case 4:
        out.kind = Item::Kind::kArray;
        if (info == kIndefinite) {
          while (!at_break()) out.items.push_back(item(depth + 1));
          ++pos_;
        } else {
          const uint64_t count = argument(info);
          // Each item takes at least one byte: a bigger count is a lie that
          // would make us reserve unbounded memory.
          if (count > remaining()) throw DecodeError("CBOR array longer than its input");
          out.items.reserve(count);
          for (uint64_t i = 0; i < count; ++i) out.items.push_back(item(depth + 1));
        }
        return out;
      case 5:
        out.kind = Item::Kind::kMap;
        if (info == kIndefinite) {
          while (!at_break()) {
            out.items.push_back(item(depth + 1));
            out.items.push_back(item(depth + 1));
          }
          ++pos_;
        } else {
          const uint64_t count = argument(info);
          if (count > remaining() / 2) throw DecodeError("CBOR map longer than its input");
          out.items.reserve(2 * count);
          for (uint64_t i = 0; i < 2 * count; ++i) out.items.push_back(item(depth + 1));
        }
        return out;
      case 6:
        if (info == kIndefinite) throw DecodeError("indefinite-length tag");
        out.kind = Item::Kind::kTag;
        out.uint = argument(info);
        out.items.push_back(item(depth + 1));
        return out;
      default:  // 7
        return simple(info);
    }
  }

  Item simple(unsigned info) {
    Item out;
    switch (info) {
      case 20:
      case 21:
        out.kind = Item::Kind::kBool;
        out.boolean = info == 21;
        return out;
      case 22:
        out.kind = Item::Kind::kNull;
        return out;
      case 23:
        out.kind = Item::Kind::kUndefined;
        return out;
      case 24:
        out.kind = Item::Kind::kSimple;
        out.uint = byte();
        if (out.uint < 32) throw DecodeError("two-byte CBOR simple value below 32");
        return out;
      case 25:
        out.kind = Item::Kind::kFloat;
        out.number = half_to_double(static_cast<uint16_t>(be(2)));
        return out;
      case 26:
        out.kind = Item::Kind::kFloat;
        out.number = std::bit_cast<float>(static_cast<uint32_t>(be(4)));
        return out;
      case 27:
        out.kind = Item::Kind::kFloat;
        out.number = std::bit_cast<double>(be(8));
        return out;
      default:
        if (info < 20) {
          out.kind = Item::Kind::kSimple;
          out.uint = info;
          return out;
        }
        throw DecodeError("reserved CBOR simple value");
    }
  }

  uint64_t argument(unsigned info) {
    if (info < 24) return info;
    switch (info) {
      case 24: return be(1);
      case 25: return be(2);
      case 26: return be(4);
      case 27: return be(8);
      default: throw DecodeError("reserved CBOR additional information");
    }
  }

  uint64_t be(std::size_t n) {
    if (remaining() < n) throw DecodeError("truncated CBOR");
    uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(data_[pos_ + i]);
    pos_ += n;
    return v;
  }

  std::string_view take(uint64_t n) {
    if (n > remaining()) throw DecodeError("truncated CBOR string");
    auto s = data_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return s;
  }

  uint8_t byte() {
    if (pos_ >= data_.size()) throw DecodeError("truncated CBOR");
    return static_cast<uint8_t>(data_[pos_++]);
  }

  bool at_break() const {
    if (pos_ >= data_.size()) throw DecodeError("truncated CBOR: missing break");
    return static_cast<uint8_t>(data_[pos_]) == kBreak;
  }

  std::size_t remaining() const { return data_.size() - pos_; }

  std::string_view data_;
  std::size_t pos_ = 0;
};

void encode_into(Writer& w, const Item& item, std::size_t depth) {
  if (depth > kMaxDepth) {
    w.null();
    return;
  }
  switch (item.kind) {
    case Item::Kind::kUnsigned: w.unsigned_int(item.uint); return;
    case Item::Kind::kNegative: w.negative_int(item.uint); return;
    case Item::Kind::kBytes: w.bytes(item.bytes); return;
    case Item::Kind::kText: w.text(item.bytes); return;
    case Item::Kind::kArray:
      w.array(item.items.size());
      for (const auto& i : item.items) encode_into(w, i, depth + 1);
      return;
    case Item::Kind::kMap:
      w.map(item.map_size());
      for (const auto& i : item.items) encode_into(w, i, depth + 1);
      return;
    case Item::Kind::kTag:
      w.tag(item.uint);
      if (item.items.empty())
        w.null();
      else
        encode_into(w, item.items.front(), depth + 1);
      return;
    case Item::Kind::kBool: w.boolean(item.boolean); return;
    case Item::Kind::kNull: w.null(); return;
    case Item::Kind::kUndefined: w.undefined(); return;
    case Item::Kind::kSimple: w.simple(static_cast<uint8_t>(item.uint)); return;
    case Item::Kind::kFloat: w.float64(item.number); return;
  }
}

}  // namespace

double Item::as_double() const {
  switch (kind) {
    case Kind::kUnsigned: return static_cast<double>(uint);
    case Kind::kNegative: return -1.0 - static_cast<double>(uint);
    case Kind::kFloat: return number;
    default: return 0;
  }
}

const Item* Item::find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (std::size_t i = 0; i < map_size(); ++i)
    if (map_key(i).kind == Kind::kText && map_key(i).bytes == key) return &map_value(i);
  return nullptr;
}

Item decode(std::string_view data) {
  Decoder decoder(data);
  Item item = decoder.item(0);
  if (!decoder.done()) throw DecodeError("trailing bytes after CBOR item");
  return item;
}

void Writer::head(unsigned major, uint64_t arg) {
  const auto m = static_cast<uint8_t>(major << 5);
  if (arg < 24) {
    out_ += static_cast<char>(m | arg);
    return;
  }
  int n;
  uint8_t info;
  if (arg <= 0xff) {
    n = 1;
    info = 24;
  } else if (arg <= 0xffff) {
    n = 2;
    info = 25;
  } else if (arg <= 0xffffffffULL) {
    n = 4;
    info = 26;
  } else {
    n = 8;
    info = 27;
  }
  out_ += static_cast<char>(m | info);
  for (int i = n - 1; i >= 0; --i) out_ += static_cast<char>((arg >> (8 * i)) & 0xff);
}

void Writer::signed_int(int64_t v) {
  if (v >= 0)
    head(0, static_cast<uint64_t>(v));
  else
    head(1, static_cast<uint64_t>(-(v + 1)));
}

void Writer::simple(uint8_t v) {
  if (v < 24) {
    out_ += static_cast<char>(0xe0 | v);
  } else {
    out_ += static_cast<char>(0xf8);
    out_ += static_cast<char>(v);
  }
}

void Writer::float64(double d) {
  if (std::isnan(d) || std::isinf(d)) {
    const uint16_t half = std::isnan(d) ? 0x7e00 : (d > 0 ? 0x7c00 : 0xfc00);
    out_ += static_cast<char>(0xf9);
    out_ += static_cast<char>(half >> 8);
    out_ += static_cast<char>(half & 0xff);
    return;
  }
  const uint64_t bits = std::bit_cast<uint64_t>(d);
  out_ += static_cast<char>(0xfb);
  for (int i = 7; i >= 0; --i) out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
}

void Writer::float32(double d) {
  const auto f = static_cast<float>(d);
  if (std::isnan(d) || std::isinf(d) || static_cast<double>(f) != d) {
    float64(d);
    return;
  }
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  out_ += static_cast<char>(0xfa);
  for (int i = 3; i >= 0; --i) out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
}

void Writer::timestamp(double epoch_seconds) {
  tag(1);
  if (std::isfinite(epoch_seconds) && epoch_seconds == std::floor(epoch_seconds) &&
      std::fabs(epoch_seconds) < 9.0e15)
    signed_int(static_cast<int64_t>(epoch_seconds));
  else
    float64(epoch_seconds);
}

void Writer::value(const Value& v, std::size_t depth) {
  if (depth > kMaxDepth) {
    null();
    return;
  }
  switch (v.kind()) {
    case boost::json::kind::null: null(); return;
    case boost::json::kind::bool_: boolean(v.get_bool()); return;
    case boost::json::kind::int64: signed_int(v.get_int64()); return;
    case boost::json::kind::uint64: unsigned_int(v.get_uint64()); return;
    case boost::json::kind::double_: float64(v.get_double()); return;
    case boost::json::kind::string: text(v.get_string()); return;
    case boost::json::kind::array:
      array(v.get_array().size());
      for (const auto& item : v.get_array()) value(item, depth + 1);
      return;
    case boost::json::kind::object:
      map(v.get_object().size());
      for (const auto& [key, item] : v.get_object()) {
        text(key);
        value(item, depth + 1);
      }
      return;
  }
}

std::string encode(const Item& item) {
  Writer w;
  encode_into(w, item, 0);
  return w.take();
}

Value to_value(const Item& item, std::size_t depth) {
  if (depth > kMaxDepth) throw DecodeError("CBOR nesting is too deep");
  switch (item.kind) {
    case Item::Kind::kUnsigned:
      if (item.uint > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return item.uint;
      return static_cast<int64_t>(item.uint);
    case Item::Kind::kNegative:
      if (item.uint > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return item.as_double();
      return -1 - static_cast<int64_t>(item.uint);
    case Item::Kind::kBytes:
    case Item::Kind::kText: return boost::json::string(item.bytes);
    case Item::Kind::kArray: {
      Array out;
      out.reserve(item.items.size());
      for (const auto& i : item.items) out.push_back(to_value(i, depth + 1));
      return out;
    }
    case Item::Kind::kMap: {
      Object out;
      for (std::size_t i = 0; i < item.map_size(); ++i) {
        const Item& k = item.map_key(i);
        const Item& v = item.map_value(i);
        std::string key;
        if (k.is_string())
          key = k.bytes;
        else
          key = boost::json::serialize(to_value(k, depth + 1));
        out[key] = to_value(v, depth + 1);
      }
      return out;
    }
    case Item::Kind::kTag:
      if (item.items.empty()) return nullptr;
      return to_value(item.items.front(), depth + 1);
    case Item::Kind::kBool: return item.boolean;
    case Item::Kind::kNull:
    case Item::Kind::kUndefined: return nullptr;
    case Item::Kind::kSimple: return static_cast<int64_t>(item.uint);
    case Item::Kind::kFloat: return item.number;
  }
  return nullptr;
}

}  // namespace terrarium::protocol::cbor
