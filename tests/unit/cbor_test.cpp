#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "protocol/cbor.hpp"

using namespace terrarium;
using namespace terrarium::protocol;

namespace {

std::string hex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

Value decode_value(std::string_view h) { return cbor::to_value(cbor::decode(hex(h))); }

}  // namespace

// RFC 8949 Appendix A examples.
TEST(Cbor, DecodesIntegers) {
  EXPECT_EQ(decode_value("00"), Value(0));
  EXPECT_EQ(decode_value("17"), Value(23));
  EXPECT_EQ(decode_value("1818"), Value(24));
  EXPECT_EQ(decode_value("1864"), Value(100));
  EXPECT_EQ(decode_value("1903e8"), Value(1000));
  EXPECT_EQ(decode_value("1a000f4240"), Value(1000000));
  EXPECT_EQ(decode_value("1b000000e8d4a51000"), Value(1000000000000));
  EXPECT_EQ(decode_value("1bffffffffffffffff"), Value(18446744073709551615ull));
  EXPECT_EQ(decode_value("20"), Value(-1));
  EXPECT_EQ(decode_value("3903e7"), Value(-1000));
}

TEST(Cbor, DecodesFloatsOfEveryWidth) {
  EXPECT_EQ(decode_value("f90000").as_double(), 0.0);
  EXPECT_TRUE(std::signbit(decode_value("f98000").as_double()));
  EXPECT_EQ(decode_value("f93c00").as_double(), 1.0);
  EXPECT_EQ(decode_value("f93e00").as_double(), 1.5);
  EXPECT_EQ(decode_value("f97bff").as_double(), 65504.0);
  EXPECT_EQ(decode_value("f90001").as_double(), 5.960464477539063e-8);
  EXPECT_EQ(decode_value("f90400").as_double(), 0.00006103515625);
  EXPECT_EQ(decode_value("f9c400").as_double(), -4.0);
  EXPECT_EQ(decode_value("f97c00").as_double(), INFINITY);
  EXPECT_EQ(decode_value("f9fc00").as_double(), -INFINITY);
  EXPECT_TRUE(std::isnan(decode_value("f97e00").as_double()));
  EXPECT_TRUE(std::isnan(decode_value("f97c01").as_double()));
  EXPECT_EQ(decode_value("fa47c35000").as_double(), 100000.0);
  EXPECT_EQ(decode_value("fa7f7fffff").as_double(), 3.4028234663852886e+38);
  EXPECT_EQ(decode_value("fb3ff199999999999a").as_double(), 1.1);
  EXPECT_EQ(decode_value("fb7e37e43c8800759c").as_double(), 1.0e+300);
}

TEST(Cbor, DecodesSimpleValues) {
  EXPECT_EQ(decode_value("f4"), Value(false));
  EXPECT_EQ(decode_value("f5"), Value(true));
  EXPECT_TRUE(decode_value("f6").is_null());
  EXPECT_TRUE(decode_value("f7").is_null());
  EXPECT_EQ(cbor::decode(hex("f0")).kind, cbor::Item::Kind::kSimple);
  EXPECT_EQ(cbor::decode(hex("f8ff")).uint, 255u);
}

TEST(Cbor, DecodesStringsDefiniteAndIndefinite) {
  EXPECT_EQ(decode_value("60"), Value(""));
  EXPECT_EQ(decode_value("6449455446"), Value("IETF"));
  EXPECT_EQ(decode_value("62c3bc"), Value("\xc3\xbc"));
  auto bytes = cbor::decode(hex("4401020304"));
  EXPECT_EQ(bytes.kind, cbor::Item::Kind::kBytes);
  EXPECT_EQ(bytes.bytes, hex("01020304"));
  auto chunked = cbor::decode(hex("5f42010243030405ff"));
  EXPECT_EQ(chunked.bytes, hex("0102030405"));
  EXPECT_EQ(decode_value("7f657374726561646d696e67ff"), Value("streaming"));
}

TEST(Cbor, DecodesContainers) {
  EXPECT_EQ(decode_value("80"), Value(Array{}));
  EXPECT_EQ(decode_value("83010203"), boost::json::parse("[1,2,3]"));
  EXPECT_EQ(decode_value("8301820203820405"), boost::json::parse("[1,[2,3],[4,5]]"));
  EXPECT_EQ(decode_value("a26161016162820203"), boost::json::parse(R"({"a":1,"b":[2,3]})"));
  EXPECT_EQ(decode_value("9f018202039f0405ffff"), boost::json::parse("[1,[2,3],[4,5]]"));
  EXPECT_EQ(decode_value("9fff"), Value(Array{}));
  EXPECT_EQ(decode_value("bf61610161629f0203ffff"), boost::json::parse(R"({"a":1,"b":[2,3]})"));
  EXPECT_EQ(decode_value("a201020304"), boost::json::parse(R"({"1":2,"3":4})"));
}

TEST(Cbor, DecodesTags) {
  auto item = cbor::decode(hex("c11a514b67b0"));
  EXPECT_EQ(item.kind, cbor::Item::Kind::kTag);
  EXPECT_EQ(item.uint, 1u);
  EXPECT_EQ(item.items.at(0).uint, 1363896240u);
  EXPECT_EQ(cbor::to_value(item), Value(1363896240));
  EXPECT_EQ(cbor::to_value(cbor::decode(hex("c1fb41d452d9ec200000"))).as_double(), 1363896240.5);
}

TEST(Cbor, RejectsMalformedInput) {
  for (const char* bad : {
           "",                        // nothing
           "18",                      // truncated argument
           "62c3",                    // truncated string
           "830102",                  // truncated array
           "ff",                      // break outside indefinite item
           "9f01",                    // indefinite array without break
           "0001",                    // trailing bytes
           "1c",                      // reserved additional info
           "5f4101610262ff",          // text chunk inside a byte string
           "5f5f4101ffff",            // nested indefinite chunk
           "9bffffffffffffffff",      // absurd array length
           "bbffffffffffffffff",      // absurd map length
           "7bffffffffffffffff",      // absurd string length
           "1f",                      // indefinite integer
           "dfff",                    // indefinite tag
           "f81f",                    // two-byte simple value below 32
       }) {
    EXPECT_THROW(cbor::decode(hex(bad)), cbor::DecodeError) << bad;
  }
}

TEST(Cbor, RejectsTooDeepNesting) {
  std::string deep(cbor::kMaxDepth + 10, static_cast<char>(0x81));
  deep += static_cast<char>(0x00);
  EXPECT_THROW(cbor::decode(deep), cbor::DecodeError);
  std::string ok(50, static_cast<char>(0x81));
  ok += static_cast<char>(0x00);
  EXPECT_NO_THROW(cbor::decode(ok));
}

TEST(Cbor, WriterUsesShortestHeads) {
  cbor::Writer w;
  w.unsigned_int(0);
  w.unsigned_int(23);
  w.unsigned_int(24);
  w.unsigned_int(256);
  w.unsigned_int(65536);
  w.unsigned_int(4294967296ull);
  w.signed_int(-1);
  w.signed_int(-1000);
  w.negative_int(18446744073709551615ull);
  EXPECT_EQ(to_hex(w.data()),
            "00" "17" "1818" "190100" "1a00010000" "1b0000000100000000" "20" "3903e7"
            "3bffffffffffffffff");
}

TEST(Cbor, WriterFloats) {
  cbor::Writer w;
  w.float64(1.1);
  w.float32(7.625);
  w.float32(1.1);  // not exact in single precision: written as a double
  w.float64(NAN);
  w.float64(INFINITY);
  w.float64(-INFINITY);
  EXPECT_EQ(to_hex(w.data()),
            "fb3ff199999999999a" "fa40f40000" "fb3ff199999999999a" "f97e00" "f97c00" "f9fc00");
}

TEST(Cbor, WriterTimestampsAndContainers) {
  cbor::Writer w;
  w.timestamp(1363896240);
  w.timestamp(1363896240.5);
  w.begin_array();
  w.text("a");
  w.bytes("\x01");
  w.end();
  w.map(1);
  w.text("k");
  w.null();
  w.boolean(true);
  EXPECT_EQ(to_hex(w.data()),
            "c11a514b67b0" "c1fb41d452d9ec200000" "9f6161" "4101" "ff" "a1616bf6" "f5");
}

TEST(Cbor, EncodeRoundTripsDecode) {
  for (const char* h : {"a26161016162820203", "5f42010243030405ff", "c11a514b67b0", "f7",
                        "3bffffffffffffffff", "83f4f5f6", "f0", "f8ff"}) {
    const auto item = cbor::decode(hex(h));
    EXPECT_EQ(to_value(cbor::decode(cbor::encode(item))), to_value(item)) << h;
  }
}

TEST(Cbor, WritesGenericValues) {
  cbor::Writer w;
  w.value(boost::json::parse(R"({"a":[1,-2,1.5,"x",true,null]})"));
  EXPECT_EQ(cbor::to_value(cbor::decode(w.data())),
            boost::json::parse(R"({"a":[1,-2,1.5,"x",true,null]})"));
}
