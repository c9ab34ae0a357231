// Timestamps as AWS writes them: the parsers against the C library's timegm.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>

#include "core/time_format.hpp"

namespace terrarium {
namespace {

double timegm_of(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<double>(timegm(&tm));
}

TEST(TimeFormat, AmzDateOfKnownInstants) {
  EXPECT_EQ(parse_amz_date("19700101T000000Z"), 0.0);
  EXPECT_EQ(parse_amz_date("20150830T123600Z"), 1440938160.0);  // AWS's SigV4 examples
  EXPECT_EQ(parse_amz_date("20000229T235959Z"), 951868799.0);
  EXPECT_EQ(parse_amz_date("20261126T211325Z"), 1795727605.0);
}

TEST(TimeFormat, AmzDateAgreesWithTimegmAcrossCenturies) {
  // Every month's first and last possible day from 1900 to 2400 (leap
  // centuries included), and days that roll over (Feb 30) as timegm rolls them.
  for (int year = 1900; year <= 2400; year += 7) {
    for (int month = 1; month <= 12; ++month) {
      for (int day : {1, 28, 29, 30, 31}) {
        char text[32];
        std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", year, month, day, 13, 7, 59);
        ASSERT_EQ(parse_amz_date(text), timegm_of(year, month, day, 13, 7, 59)) << text;
      }
    }
  }
}

TEST(TimeFormat, AmzDateRefusesWhatIsNotOne) {
  EXPECT_FALSE(parse_amz_date("20150830T123600"));
  EXPECT_FALSE(parse_amz_date("2015-08-30T12:36:00Z"));
  EXPECT_FALSE(parse_amz_date("20151330T123600Z"));
  EXPECT_FALSE(parse_amz_date("20150830T243600Z"));
  EXPECT_FALSE(parse_amz_date("2015083OT123600Z"));
}

TEST(TimeFormat, Iso8601WithFractionsAndBeforeTheEpoch) {
  EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00Z"), 1440938160.0);
  EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00.5Z"), 1440938160.5);
  EXPECT_EQ(parse_iso8601("1969-12-31T23:59:59Z"), -1.0);
}

}  // namespace
}  // namespace terrarium
