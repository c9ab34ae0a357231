#pragma once
// JSON documents <-> Value, driven by a botocore shape. Shared by the `json`
// family (whole body) and `rest-json` (the body part of a request/response).
//
// Wire conventions (what botocore's JSONSerializer/BaseJSONParser do):
//   structure  -> JSON object; member names from the member's `jsonName`, else
//                 its `locationName`, else the member name
//   map        -> JSON object; list -> JSON array
//   blob       -> base64 string (Value holds raw bytes)
//   timestamp  -> the member's `timestampFormat` (or the shape's), else
//                 Options::default_timestamp_format; Value holds epoch seconds
//   float/double -> JSON number; NaN/Infinity/-Infinity as those strings
//   document   -> passed through untouched
//   null       -> member absent (dropped), except inside lists/maps marked
//                 `sparse`, where null is kept as null
// Unknown members of a structure are ignored when reading (forward
// compatibility, as AWS services do) and dropped when writing.
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/value.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol::json_body {

struct Options {
  // "unixTimestamp" (json, rest-json), "iso8601" or "rfc822": the wire format
  // of timestamps whose member/shape carries no `timestampFormat`.
  std::string default_timestamp_format = "unixTimestamp";
  // When true, top-level structure members that carry a `location` trait
  // (header, headers, uri, querystring, statusCode) are skipped on both read
  // and write: for rest-json, where they travel outside the body.
  bool body_members_only = false;
  // The AwsError code thrown for malformed JSON or a value of the wrong type
  // (status 400). AWS's json services answer "SerializationException".
  std::string error_code = "SerializationException";
};

// Reading (server: request bodies). All throw AwsError(options.error_code, ...,
// 400) on malformed JSON or a JSON value whose type does not fit the shape.

// `body` is the raw request body. Empty or all-whitespace body -> empty
// object. The top-level document must be a JSON object when `shape` is a
// structure.
Value parse(const ServiceModel& model, const Shape& shape, std::string_view body,
            const Options& options = {});
// An already-parsed JSON value, converted by `shape` (any type).
Value from_json(const ServiceModel& model, const Shape& shape, const boost::json::value& doc,
                const Options& options = {});

// Writing (server: response bodies). Values that do not fit the shape are
// written as best they can be (a handler bug should not crash a response):
// e.g. a number for a string member becomes its text.

// `value` by `shape` -> JSON value.
boost::json::value to_json(const ServiceModel& model, const Shape& shape, const Value& value,
                           const Options& options = {});
// Same, serialized to text ("{}" for a null value of a structure shape).
std::string serialize(const ServiceModel& model, const Shape& shape, const Value& value,
                      const Options& options = {});

// Any JSON value as compact text; doubles in their shortest plain form
// (1234.5, not Boost's 1.2345E3), non-finite doubles as null.
std::string to_text(const boost::json::value& value);

// The wire name of a structure member: jsonName, else locationName, else `member`.
std::string_view wire_name(const boost::json::object& member_ref, std::string_view member);

// The timestampFormat that applies to a member: the member reference's, else
// the target shape's, else `fallback`.
std::string_view timestamp_format(const boost::json::object* member_ref, const Shape& shape,
                                  std::string_view fallback);

// Helpers for other families (rest-json headers etc.): a timestamp in
// `format` ("unixTimestamp", "iso8601", "rfc822"), and back. parse returns
// nullopt when `text` is not a timestamp in any accepted form.
std::string format_timestamp(double epoch_seconds, std::string_view format);
std::optional<double> parse_timestamp(std::string_view text);

// Converts a Value number (int64/uint64/double) to epoch seconds; nullopt when
// `v` is not a number.
std::optional<double> epoch_of(const Value& v);

}  // namespace terrarium::protocol::json_body
