#pragma once
// Value <-> XML by shape, shared by the XML-speaking families (query, ec2,
// rest-xml), plus the scalar text conversions that query-string style
// parsers need too. Family-specific framing (response wrappers, error
// envelopes, HTTP bindings) stays in the family; this module only knows how a
// shape's value looks as XML elements, following botocore's serializers and
// parsers:
//   - a member's element name is its `locationName` (on the member reference,
//     else on the target shape, as botocore merges them), else the member name;
//   - lists are wrapped in the member element with one child per item named by
//     the list's member `locationName` (default "member"), unless the list is
//     `flattened`, in which case every item is an element named like the
//     member itself. (botocore's *parser* names flattened items after the
//     list member's locationName instead; readers here accept both, writers
//     use the member's name as the Smithy spec and AWS do. No model in scope
//     has the two differ.)
//   - maps are wrapped, with one "entry" per pair holding key/value elements
//     (names from the map's key/value `locationName`, default "key"/"value");
//     `flattened` maps repeat the member element per pair instead of "entry";
//   - `xmlAttribute` members are attributes of the parent structure's element;
//   - `xmlNamespace` ({"uri", "prefix"} or a bare uri string) adds xmlns /
//     xmlns:prefix to an element when it is on the member reference (list
//     members and map keys/values included). On a structure shape it applies
//     only to the document root (the family adds it with add_namespace), except
//     that a prefixed one is declared on the structure's element so its
//     prefixed attributes (S3's xsi:type) are well-formed;
//   - timestamps: the member's or shape's `timestampFormat`, else the caller's
//     default (iso8601 for bodies); blobs are base64; booleans true/false;
//     floats print NaN / Infinity / -Infinity for the non-finite values;
//   - members come out in the model's order; null members are skipped.
#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/aws_error.hpp"
#include "core/value.hpp"
#include "protocol/model.hpp"

namespace terrarium::protocol::xml {

// Timestamp formats as botocore names them.
inline constexpr std::string_view kIso8601 = "iso8601";
inline constexpr std::string_view kRfc822 = "rfc822";
inline constexpr std::string_view kUnixTimestamp = "unixTimestamp";

// ---- scalars -------------------------------------------------------------

// The timestamp format that applies to a member: the member reference's
// `timestampFormat`, else the target shape's, else `fallback`. `member_ref`
// may be null (list items, top-level values).
std::string_view timestamp_format(const boost::json::object* member_ref, const Shape& shape,
                                  std::string_view fallback);

// A scalar Value of `shape` (string, enum, integer, long, float, double,
// boolean, blob, timestamp) as wire text. Blobs are base64; timestamps use
// `ts_format` (one of the k* formats above). Non-finite floats are "NaN",
// "Infinity", "-Infinity". Empty for structures, lists and maps.
std::string scalar_to_text(const Shape& shape, const Value& value, std::string_view ts_format);

// Wire text -> scalar Value of `shape` (see core/value.hpp): integers and
// longs -> int64, floats/doubles -> double (NaN/Infinity/-Infinity accepted),
// "true"/"false" -> bool, base64 -> raw bytes, timestamps in `ts_format` (any
// common format is also accepted) -> epoch seconds (int64 when whole, else
// double). Throws AwsError(`error_code`, 400) naming `what` (the parameter
// name shown to the client) when the text is not a valid value.
Value scalar_from_text(const Shape& shape, std::string_view text, std::string_view ts_format,
                       std::string_view what, std::string_view error_code);

// ---- writing -------------------------------------------------------------

struct WriteOptions {
  std::string_view default_timestamp_format = kIso8601;
  // Members with a `location` (header, uri, querystring, statusCode, ...)
  // belong to the HTTP envelope in rest-xml and are skipped when true.
  bool skip_http_bound_members = false;
};

// Appends the members of structure `value` (of structure `shape`) to
// `element` as child elements, and its `xmlAttribute` members as attributes.
// Members absent from `value` or null are skipped.
void write_members(const ServiceModel& model, const Shape& shape, const Value& value,
                   pugi::xml_node element, const WriteOptions& options = {});

// Appends one member as child element(s) of `parent`: `name` is the member
// name, `member_ref` its reference in the structure ({"shape", "locationName",
// "flattened", "xmlNamespace", "timestampFormat", ...}). A flattened list or
// map appends several elements; otherwise exactly one.
void write_member(const ServiceModel& model, std::string_view name,
                  const boost::json::object& member_ref, const Value& value,
                  pugi::xml_node parent, const WriteOptions& options = {});

// Writes `value` of `shape` as the content of `element` (which already has
// its name): structure members, list items, map entries, or scalar text.
// `member_ref` (may be null) supplies member-level traits like
// timestampFormat for scalars.
void write_value(const ServiceModel& model, const Shape& shape, const Value& value,
                 pugi::xml_node element, const boost::json::object* member_ref = nullptr,
                 const WriteOptions& options = {});

// Adds xmlns / xmlns:prefix from an `xmlNamespace` trait ({"uri", "prefix"}
// or a plain string uri) to `element`. Does nothing for null.
void add_namespace(pugi::xml_node element, const Value* xml_namespace);

// The <Code>, <Message> and modeled fields of a query or ec2 <Error>. A
// handler may throw the error shape's name; the wire carries its query code.
void write_query_error(const ServiceModel& model, const Operation* op, const AwsError& error,
                       pugi::xml_node error_element);

// The document serialized compactly (no indentation), UTF-8, preceded by
// <?xml version="1.0" encoding="UTF-8"?> when `declaration` is true.
std::string to_string(const pugi::xml_document& doc, bool declaration = true);

// ---- reading -------------------------------------------------------------

struct ReadOptions {
  std::string_view default_timestamp_format = kIso8601;
  bool skip_http_bound_members = false;  // as in WriteOptions
  // Code of the AwsError thrown for unparseable scalar text.
  std::string_view error_code = "SerializationException";
};

// Reads the members of structure `shape` from the children (and attributes)
// of `element`. Unknown elements are ignored; absent members are omitted.
// Element names compare exactly, after stripping any namespace prefix.
Value read_members(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                   const ReadOptions& options = {});

// Reads the value of `shape` held by `element` (the member's own element,
// not its parent). For a flattened list/map member use read_member instead.
Value read_value(const ServiceModel& model, const Shape& shape, pugi::xml_node element,
                 const boost::json::object* member_ref = nullptr,
                 const ReadOptions& options = {});

// Reads member `name` (reference `member_ref`) from the children of `parent`,
// handling flattened lists/maps spread over several sibling elements. Returns
// a null Value when the member is absent.
Value read_member(const ServiceModel& model, std::string_view name,
                  const boost::json::object& member_ref, pugi::xml_node parent,
                  const ReadOptions& options = {});

// Parses `body` as XML; throws AwsError(`error_code`, 400) when malformed.
// Entity and DOCTYPE expansion beyond the XML built-ins is not performed.
void parse_document(pugi::xml_document& doc, std::string_view body,
                    std::string_view error_code = "MalformedXML");

// The local part of an element name ("ns:Foo" -> "Foo").
std::string_view local_name(pugi::xml_node node);

// Direct child element of `parent` whose local name is `name`; null if none.
pugi::xml_node child(pugi::xml_node parent, std::string_view name);

}  // namespace terrarium::protocol::xml
