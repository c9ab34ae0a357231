// The smithy-rpc-v2-cbor family: POST /service/<Service>/operation/<Operation>
// with `smithy-protocol: rpc-v2-cbor`, CBOR bodies shaped like the input and
// output, timestamps as tag 1 epoch seconds, errors as a CBOR map with
// "__type" and "message".
#include <cmath>
#include <limits>

#include "core/aws_error.hpp"
#include "core/base64.hpp"
#include "protocol/cbor.hpp"
#include "protocol/content_encoding.hpp"
#include "protocol/error_shape.hpp"
#include "protocol/families.hpp"
#include "protocol/json_body.hpp"

namespace terrarium::protocol {
namespace {

namespace json = boost::json;
using cbor::Item;

constexpr const char* kSerializationException = "SerializationException";

bool flag(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

Value epoch_value(double seconds) {
  if (std::isfinite(seconds) && seconds == std::floor(seconds) && std::fabs(seconds) < 9.0e15)
    return static_cast<int64_t>(seconds);
  return seconds;
}

std::string_view kind_name(const Item& item) {
  switch (item.kind) {
    case Item::Kind::kUnsigned:
    case Item::Kind::kNegative:
    case Item::Kind::kFloat: return "number";
    case Item::Kind::kBytes: return "byte string";
    case Item::Kind::kText: return "text string";
    case Item::Kind::kArray: return "array";
    case Item::Kind::kMap: return "map";
    case Item::Kind::kTag: return "tagged item";
    case Item::Kind::kBool: return "boolean";
    case Item::Kind::kNull:
    case Item::Kind::kUndefined: return "null";
    case Item::Kind::kSimple: return "simple value";
  }
  return "item";
}

// CBOR item tree -> Value by shape.
class Reader {
 public:
  explicit Reader(const ServiceModel& model) : model_(model) {}

  Value read(const Shape& shape, const Item& item, const std::string& path,
             std::size_t depth) const {
    if (depth > cbor::kMaxDepth) fail(path, "nesting is too deep");
    const std::string_view type = shape_type(shape);
    if (type == "structure") {
      if (flag(shape, "document")) return cbor::to_value(item);
      if (item.kind != Item::Kind::kMap) mismatch(path, "structure", item);
      Object out;
      const auto* members = shape.if_contains("members");
      if (!members || !members->is_object()) return out;
      for (const auto& [name, ref_value] : members->get_object()) {
        const auto& ref = ref_value.as_object();
        const Item* found = item.find(name);
        if (!found) {
          const std::string_view wire = json_body::wire_name(ref, name);
          if (wire != name) found = item.find(wire);
        }
        if (!found || found->is_null()) continue;
        out[name] = read(model_.resolve(ref), *found,
                         path.empty() ? std::string(name) : path + "." + std::string(name),
                         depth + 1);
      }
      return out;
    }
    if (type == "list") {
      if (item.kind != Item::Kind::kArray) mismatch(path, "list", item);
      const Shape& member = model_.resolve(shape.at("member").as_object());
      const bool sparse = flag(shape, "sparse");
      Array out;
      out.reserve(item.items.size());
      for (std::size_t i = 0; i < item.items.size(); ++i) {
        if (item.items[i].is_null()) {
          if (sparse) out.emplace_back(nullptr);
          continue;
        }
        out.push_back(read(member, item.items[i], path + "[" + std::to_string(i) + "]", depth + 1));
      }
      return out;
    }
    if (type == "map") {
      if (item.kind != Item::Kind::kMap) mismatch(path, "map", item);
      const Shape& value_shape = model_.resolve(shape.at("value").as_object());
      const bool sparse = flag(shape, "sparse");
      Object out;
      for (std::size_t i = 0; i < item.map_size(); ++i) {
        const Item& key = item.map_key(i);
        const Item& value = item.map_value(i);
        if (key.kind != Item::Kind::kText) mismatch(path + " key", "text string", key);
        if (value.is_null()) {
          if (sparse) out[key.bytes] = nullptr;
          continue;
        }
        out[key.bytes] = read(value_shape, value, path + "." + key.bytes, depth + 1);
      }
      return out;
    }
    return read_scalar(type, item, path);
  }

 private:
  Value read_scalar(std::string_view type, const Item& item, const std::string& path) const {
    if (type == "string") {
      if (item.kind != Item::Kind::kText) mismatch(path, "text string", item);
      return json::string(item.bytes);
    }
    if (type == "blob") {
      // Byte strings are the rule; a text string carries the same bytes.
      if (!item.is_string()) mismatch(path, "byte string", item);
      return json::string(item.bytes);
    }
    if (type == "boolean") {
      if (item.kind != Item::Kind::kBool) mismatch(path, "boolean", item);
      return item.boolean;
    }
    if (type == "integer" || type == "long" || type == "short" || type == "byte") {
      if (item.kind == Item::Kind::kUnsigned) {
        if (item.uint > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          fail(path, "number is out of range");
        return static_cast<int64_t>(item.uint);
      }
      if (item.kind == Item::Kind::kNegative) {
        if (item.uint > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          fail(path, "number is out of range");
        return -1 - static_cast<int64_t>(item.uint);
      }
      if (item.kind == Item::Kind::kFloat && std::isfinite(item.number) &&
          item.number == std::floor(item.number) && std::fabs(item.number) < 9.2e18)
        return static_cast<int64_t>(item.number);
      mismatch(path, "integer", item);
    }
    if (type == "float" || type == "double") {
      if (!item.is_number()) mismatch(path, "number", item);
      return item.as_double();
    }
    if (type == "timestamp") {
      const Item* inner = &item;
      if (item.kind == Item::Kind::kTag) {
        if (item.uint != 1) fail(path, "unsupported tag " + std::to_string(item.uint));
        inner = &item.items.front();
      }
      if (!inner->is_number()) mismatch(path, "timestamp", *inner);
      const double seconds = inner->as_double();
      if (!std::isfinite(seconds)) fail(path, "is not a valid timestamp");
      return epoch_value(seconds);
    }
    return cbor::to_value(item);
  }

  [[noreturn]] void mismatch(const std::string& path, std::string_view expected,
                             const Item& got) const {
    fail(path, "expected " + std::string(expected) + " but found " + std::string(kind_name(got)));
  }

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    const std::string where = path.empty() ? std::string("body") : "'" + path + "'";
    throw AwsError(kSerializationException, "Cannot deserialize " + where + ": " + what, 400);
  }

  const ServiceModel& model_;
};

// Value by shape -> CBOR. Values that do not fit their shape are written as
// well as they can be rather than failing a response.
class Writer {
 public:
  Writer(const ServiceModel& model, cbor::Writer& out) : model_(model), out_(out) {}

  void write(const Shape& shape, const Value& v, std::size_t depth) {
    if (depth > cbor::kMaxDepth) {
      out_.null();
      return;
    }
    const std::string_view type = shape_type(shape);
    if (type == "structure") {
      if (flag(shape, "document")) {
        out_.value(v);
        return;
      }
      write_structure(shape, v.if_object(), nullptr, depth);
      return;
    }
    if (type == "list") {
      const Shape& member = model_.resolve(shape.at("member").as_object());
      const auto* in = v.if_array();
      out_.array(in ? in->size() : 0);
      if (!in) return;
      for (const auto& item : *in) {
        if (item.is_null())
          out_.null();
        else
          write(member, item, depth + 1);
      }
      return;
    }
    if (type == "map") {
      const Shape& value_shape = model_.resolve(shape.at("value").as_object());
      const auto* in = v.if_object();
      out_.map(in ? in->size() : 0);
      if (!in) return;
      for (const auto& [key, item] : *in) {
        out_.text(key);
        if (item.is_null())
          out_.null();
        else
          write(value_shape, item, depth + 1);
      }
      return;
    }
    write_scalar(type, v);
  }

  // `extra` entries (already encoded key/value pairs) come first: the error
  // map's "__type".
  void write_structure(const Shape& shape, const Object* in,
                       const std::vector<std::pair<std::string, std::string>>* extra,
                       std::size_t depth) {
    std::vector<std::pair<std::string_view, const Value*>> present;
    std::vector<const Shape*> shapes;
    if (const auto* members = shape.if_contains("members"); in && members && members->is_object()) {
      for (const auto& [name, ref] : members->get_object()) {
        const auto* item = in->if_contains(name);
        if (!item || item->is_null()) continue;
        present.emplace_back(name, item);
        shapes.push_back(&model_.resolve(ref.as_object()));
      }
    }
    out_.map(present.size() + (extra ? extra->size() : 0));
    if (extra)
      for (const auto& [key, value] : *extra) {
        out_.text(key);
        out_.text(value);
      }
    for (std::size_t i = 0; i < present.size(); ++i) {
      out_.text(present[i].first);
      write(*shapes[i], *present[i].second, depth + 1);
    }
  }

 private:
  void write_scalar(std::string_view type, const Value& v) {
    if (type == "string") {
      if (v.is_string())
        out_.text(v.get_string());
      else
        out_.text(json::serialize(v));
      return;
    }
    if (type == "blob") {
      if (v.is_string())
        out_.bytes(v.get_string());
      else
        out_.value(v);
      return;
    }
    if (type == "boolean") {
      if (v.is_bool())
        out_.boolean(v.get_bool());
      else
        out_.value(v);
      return;
    }
    if (type == "integer" || type == "long" || type == "short" || type == "byte") {
      if (v.is_int64())
        out_.signed_int(v.get_int64());
      else if (v.is_uint64())
        out_.unsigned_int(v.get_uint64());
      else if (v.is_double() && std::isfinite(v.get_double()) && std::fabs(v.get_double()) < 9.2e18)
        out_.signed_int(static_cast<int64_t>(v.get_double()));
      else
        out_.value(v);
      return;
    }
    if (type == "float" || type == "double") {
      double d;
      if (auto n = json_body::epoch_of(v)) {
        d = *n;
      } else if (v.is_string() && v.get_string() == "NaN") {
        d = std::numeric_limits<double>::quiet_NaN();
      } else if (v.is_string() && v.get_string() == "Infinity") {
        d = std::numeric_limits<double>::infinity();
      } else if (v.is_string() && v.get_string() == "-Infinity") {
        d = -std::numeric_limits<double>::infinity();
      } else {
        out_.value(v);
        return;
      }
      if (type == "float")
        out_.float32(d);
      else
        out_.float64(d);
      return;
    }
    if (type == "timestamp") {
      std::optional<double> seconds = json_body::epoch_of(v);
      if (!seconds && v.is_string()) seconds = json_body::parse_timestamp(v.get_string());
      if (!seconds) {
        out_.value(v);
        return;
      }
      // Millisecond precision, as AWS services answer.
      out_.timestamp(std::round(*seconds * 1000.0) / 1000.0);
      return;
    }
    out_.value(v);
  }

  const ServiceModel& model_;
  cbor::Writer& out_;
};

void common_headers(http::Response& response, const std::string& request_id) {
  response.set_header("smithy-protocol", "rpc-v2-cbor");
  response.set_header("x-amzn-RequestId", request_id);
}

class CborProtocol final : public Protocol {
 public:
  Value parse_request(const ServiceModel& model, const Operation& op,
                      const http::Request& request) const override {
    const std::string body = decoded_body(request, kSerializationException);
    if (body.empty()) return Object{};
    Item root;
    try {
      root = cbor::decode(body);
    } catch (const cbor::DecodeError& e) {
      throw AwsError(kSerializationException,
                     std::string("Request body is not valid CBOR: ") + e.what(), 400);
    }
    if (!op.input) return Object{};
    if (root.kind != Item::Kind::kMap)
      throw AwsError(kSerializationException, "Request body must be a CBOR map", 400);
    try {
      return Reader(model).read(*op.input, root, "", 0);
    } catch (const cbor::DecodeError& e) {
      throw AwsError(kSerializationException,
                     std::string("Request body is not valid CBOR: ") + e.what(), 400);
    }
  }

  http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                    const Value& output,
                                    const std::string& request_id) const override {
    http::Response response;
    response.status = 200;
    common_headers(response, request_id);
    // An operation without output answers with no body at all (Smithy's
    // Unit output), as the protocol tests expect.
    if (!op.output) return response;
    response.set_header("Content-Type", "application/cbor");
    cbor::Writer out;
    Writer(model, out).write(*op.output, output, 0);
    response.body = out.take();
    return response;
  }

  http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                 const AwsError& error,
                                 const std::string& request_id) const override {
    const ErrorShape shape = resolve_error_shape(model, op, error);
    Object fields = error.fields();
    if (!error.message().empty() && !fields.contains(shape.message_member))
      fields[shape.message_member] = error.message();
    fields.erase("__type");

    cbor::Writer out;
    std::vector<std::pair<std::string, std::string>> extra{{"__type", shape.type}};
    if (shape.shape) {
      if (!shape.message_modeled && !error.message().empty())
        extra.emplace_back("message", error.message());
      Writer(model, out).write_structure(*shape.shape, &fields, &extra, 0);
    } else {
      out.map(1 + fields.size());
      out.text("__type");
      out.text(shape.type);
      for (const auto& [key, value] : fields) {
        out.text(key);
        out.value(value);
      }
    }

    http::Response response;
    response.status = error.http_status();
    common_headers(response, request_id);
    response.set_header("Content-Type", "application/cbor");
    if (is_query_compatible(model))
      response.set_header("x-amzn-query-error", query_error_header(shape, error));
    response.body = out.take();
    return response;
  }

  std::string validation_error_code() const override { return "ValidationException"; }
};

}  // namespace

const Protocol& cbor_protocol() {
  static const CborProtocol instance;
  return instance;
}

}  // namespace terrarium::protocol
