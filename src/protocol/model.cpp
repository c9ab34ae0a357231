#include "protocol/model.hpp"

#include <mutex>
#include <stdexcept>

#include "protocol/model_index.hpp"

namespace terrarium::protocol {

namespace json = boost::json;

ServiceModel::ServiceModel(std::string service, json::object model)
    : ServiceModel(std::move(service), model["metadata"].as_object(),
                   model["shapes"].as_object(), model["operations"].as_object()) {}

ServiceModel::ServiceModel(std::string service, json::object metadata, json::object shapes,
                           json::object operations)
    : service_(std::move(service)),
      metadata_(std::move(metadata)),
      shapes_(std::move(shapes)),
      operation_defs_(std::move(operations)) {
  protocol_ = std::string(metadata_string("protocol"));
  index_operations(operation_defs_);
}

void ServiceModel::index_operations(const json::object& operations) {
  operations_.reserve(operations.size());
  for (const auto& [name, def_value] : operations) {
    const auto& def = def_value.as_object();
    Operation op;
    op.name = std::string(name);
    op.definition = &def;
    if (const auto* http = def.if_contains("http")) {
      const auto& h = http->as_object();
      if (const auto* m = h.if_contains("method")) op.http_method = std::string(m->as_string());
      if (const auto* u = h.if_contains("requestUri")) op.request_uri = std::string(u->as_string());
    }
    if (const auto* in = def.if_contains("input")) {
      op.input_shape_name = std::string(in->as_object().at("shape").as_string());
      op.input = shape(op.input_shape_name);
    }
    if (const auto* out = def.if_contains("output")) {
      op.output_shape_name = std::string(out->as_object().at("shape").as_string());
      op.output = shape(op.output_shape_name);
    }
    by_name_.emplace(op.name, operations_.size());
    operations_.push_back(std::move(op));
  }
}

std::string_view ServiceModel::metadata_string(std::string_view key) const {
  const auto* v = metadata_.if_contains(key);
  if (!v || !v->is_string()) return {};
  return v->get_string();
}

const Shape* ServiceModel::shape(std::string_view name) const {
  const auto* v = shapes_.if_contains(name);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

const Shape& ServiceModel::resolve(const json::object& reference) const {
  const auto& name = reference.at("shape").as_string();
  const Shape* s = shape(name);
  if (!s) throw std::logic_error("model " + service_ + ": unknown shape " + std::string(name));
  return *s;
}

const Operation* ServiceModel::operation(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &operations_[it->second];
}

std::string_view shape_type(const Shape& shape) {
  const auto* t = shape.if_contains("type");
  return t && t->is_string() ? std::string_view(t->get_string()) : std::string_view();
}

std::string_view string_trait(const json::object* ref, const Shape* shape, std::string_view key) {
  if (ref)
    if (const auto* v = ref->if_contains(key); v && v->is_string()) return v->get_string();
  if (shape)
    if (const auto* v = shape->if_contains(key); v && v->is_string()) return v->get_string();
  return {};
}

bool bool_trait(const json::object* ref, const Shape* shape, std::string_view key) {
  if (ref)
    if (const auto* v = ref->if_contains(key); v && v->is_bool()) return v->get_bool();
  if (shape)
    if (const auto* v = shape->if_contains(key); v && v->is_bool()) return v->get_bool();
  return false;
}

const ServiceModel* embedded_model(std::string_view service) {
  struct Slot {
    std::once_flag once;
    std::unique_ptr<ServiceModel> model;
  };
  static std::vector<Slot> slots(model_index().size());
  const auto& index = model_index();
  for (size_t i = 0; i < index.size(); ++i) {
    if (index[i].service != service) continue;
    std::call_once(slots[i].once, [&] {
      json::object doc = json::parse(index[i].model_json).as_object();
      slots[i].model = std::make_unique<ServiceModel>(std::string(service), std::move(doc));
    });
    return slots[i].model.get();
  }
  return nullptr;
}

}  // namespace terrarium::protocol
