#pragma once
// A service model (botocore's service-2.json shape): shapes and operations.
// Embedded models are parsed on first use; tests build models from the
// protocol test suites with the same class.
#include <boost/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace terrarium::protocol {

using Shape = boost::json::object;  // {"type": ..., "members": ..., ...}

struct Operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";
  const Shape* input = nullptr;   // null when the operation takes no input
  const Shape* output = nullptr;  // null when it returns nothing
  std::string input_shape_name;
  std::string output_shape_name;
  const boost::json::object* definition = nullptr;  // the whole model entry
};

class ServiceModel {
 public:
  // `model` is a whole service-2.json document.
  ServiceModel(std::string service, boost::json::object model);
  // From parts, as the protocol test suites give them.
  ServiceModel(std::string service, boost::json::object metadata, boost::json::object shapes,
               boost::json::object operations);

  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;

  const std::string& service() const { return service_; }
  const boost::json::object& metadata() const { return metadata_; }
  std::string_view metadata_string(std::string_view key) const;
  const std::string& protocol() const { return protocol_; }
  const boost::json::object& shapes() const { return shapes_; }

  // Shape by name; null when absent.
  const Shape* shape(std::string_view name) const;
  // The shape a member or list/map reference ({"shape": "X", ...}) points to.
  const Shape& resolve(const boost::json::object& reference) const;

  const Operation* operation(std::string_view name) const;
  const std::vector<Operation>& operations() const { return operations_; }

 private:
  void index_operations(const boost::json::object& operations);

  std::string service_;
  boost::json::object metadata_;
  boost::json::object shapes_;
  boost::json::object operation_defs_;
  std::string protocol_;
  std::vector<Operation> operations_;
  std::map<std::string, size_t, std::less<>> by_name_;
};

// A shape's "type" ("structure", "list", ...); "" when absent.
std::string_view shape_type(const Shape& shape);
// A trait of a member reference, else of its shape: "" / false when neither
// carries it. Either pointer may be null.
std::string_view string_trait(const boost::json::object* member_ref, const Shape* shape,
                              std::string_view key);
bool bool_trait(const boost::json::object* member_ref, const Shape* shape, std::string_view key);

// The embedded model of `service`, parsed once on first use; null when the
// service is not embedded. Thread-safe.
const ServiceModel* embedded_model(std::string_view service);

}  // namespace terrarium::protocol
