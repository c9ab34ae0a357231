#include "core/time_format.hpp"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace terrarium {

double now_epoch_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

static std::tm to_tm(double seconds) {
  // Clamped to years 1..9999: clients can send any double (a JWT's "exp" of
  // -1e300), and casting one beyond time_t is undefined behaviour.
  const auto whole = static_cast<time_t>(std::fmin(std::fmax(std::floor(seconds), -62135596800.0), 253402300799.0));
  std::tm tm{};
  gmtime_r(&whole, &tm);
  return tm;
}

static int millis_of(double seconds) {
  return static_cast<int>(std::lround((seconds - std::floor(seconds)) * 1000.0)) % 1000;
}

std::string format_iso8601(double seconds) {
  const std::tm tm = to_tm(seconds);
  char buf[64];
  const int ms = millis_of(seconds);
  if (ms != 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string format_rfc822(double seconds) {
  const std::tm tm = to_tm(seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string format_epoch(double seconds) {
  char buf[64];
  if (seconds == std::floor(seconds))
    std::snprintf(buf, sizeof buf, "%.0f", seconds);
  else
    std::snprintf(buf, sizeof buf, "%.3f", seconds);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string format_amz_date(double seconds) {
  const std::tm tm = to_tm(seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
// Hinnant's days_from_civil). timegm() does the same through the C
// library's locking time-zone machinery, and every signed request parses a
// date. Out-of-range days roll over as timegm's do (Feb 30 is Mar 2).
static int64_t days_from_civil(int64_t year, int month, int day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

static double from_fields(int year, int month, int day, int hour, int minute, double second) {
  const int64_t minutes = (days_from_civil(year, month, day) * 24 + hour) * 60 + minute;
  return static_cast<double>(minutes * 60) + second;
}

static bool valid_fields(int month, int day, int hour, int minute, double second) {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 &&
         minute >= 0 && minute <= 59 && second >= 0 && second < 61;
}

std::optional<double> parse_iso8601(std::string_view text) {
  std::string s(text);
  int year, month, day, hour = 0, minute = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &consumed) != 5)
    return std::nullopt;
  size_t pos = static_cast<size_t>(consumed);
  double second = 0;
  if (pos < s.size() && s[pos] == ':') {
    size_t end = pos + 1;
    while (end < s.size() && (std::isdigit(static_cast<unsigned char>(s[end])) || s[end] == '.')) ++end;
    if (end == pos + 1) return std::nullopt;
    second = std::strtod(s.substr(pos + 1, end - pos - 1).c_str(), nullptr);
    pos = end;
  }
  double offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    const int sign = s[pos] == '-' ? -1 : 1;
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) == 2) {
      pos += 6;
    } else if (std::sscanf(s.c_str() + pos + 1, "%2d%2d", &oh, &om) == 2) {
      pos += 5;
    } else {
      return std::nullopt;
    }
    offset = sign * (oh * 3600.0 + om * 60.0);
  }
  if (pos != s.size() || !valid_fields(month, day, hour, minute, second)) return std::nullopt;
  return from_fields(year, month, day, hour, minute, second) - offset;
}

std::optional<double> parse_rfc822(std::string_view text) {
  std::string s(text);
  char wday[8], mon[8], zone[8] = "GMT";
  int day, year, hour, minute, second;
  if (std::sscanf(s.c_str(), "%3s, %d %3s %d %d:%d:%d %7s", wday, &day, mon, &year, &hour,
                  &minute, &second, zone) < 7)
    return std::nullopt;
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (std::strcmp(mon, kMonths[i]) == 0) month = i + 1;
  if (!valid_fields(month, day, hour, minute, second)) return std::nullopt;
  return from_fields(year, month, day, hour, minute, second);
}

std::optional<double> parse_epoch(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> parse_amz_date(std::string_view text) {
  // yyyyMMddTHHmmssZ, on every signed request: read the digits directly.
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto digits = [&](size_t at, size_t n, int& out) {
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, year) || !digits(4, 2, month) || !digits(6, 2, day) || !digits(9, 2, hour) ||
      !digits(11, 2, minute) || !digits(13, 2, second))
    return std::nullopt;
  if (!valid_fields(month, day, hour, minute, second)) return std::nullopt;
  return from_fields(year, month, day, hour, minute, second);
}

std::optional<double> parse_any_timestamp(std::string_view text) {
  if (auto v = parse_iso8601(text)) return v;
  if (auto v = parse_rfc822(text)) return v;
  if (auto v = parse_amz_date(text)) return v;
  return parse_epoch(text);
}

}  // namespace terrarium
