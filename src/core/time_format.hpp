#pragma once
// The timestamp formats AWS protocols use. Seconds since the epoch (UTC) as a
// double, so fractional seconds survive.
#include <optional>
#include <string>
#include <string_view>

namespace terrarium {

double now_epoch_seconds();

// 2015-08-30T12:36:00Z, or with milliseconds when `seconds` has a fraction.
std::string format_iso8601(double seconds);
// Sun, 30 Aug 2015 12:36:00 GMT
std::string format_rfc822(double seconds);
// 1440938160 or 1440938160.123
std::string format_epoch(double seconds);
// 20150830T123600Z (SigV4's X-Amz-Date)
std::string format_amz_date(double seconds);

// Each accepts what clients send in practice: ISO 8601 with or without
// fraction and offset, RFC 822/1123, and epoch numbers.
std::optional<double> parse_iso8601(std::string_view text);
std::optional<double> parse_rfc822(std::string_view text);
std::optional<double> parse_epoch(std::string_view text);
std::optional<double> parse_amz_date(std::string_view text);
// Tries every format above.
std::optional<double> parse_any_timestamp(std::string_view text);

}  // namespace terrarium
