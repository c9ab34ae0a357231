#pragma once
// The operations Terrarium implements: (service, operation) -> handler.
// Each service lists its operations in its own register_<service>() and the
// list of services is services/all_services.cpp. docs/coverage.md and the
// health endpoint are generated from this registry against the models.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services {

using Handler = std::function<Value(Context&, const Value& input)>;

class Registry {
 public:
  void add(std::string service, std::string operation, Handler handler);
  const Handler* find(std::string_view service, std::string_view operation) const;
  size_t implemented_count(std::string_view service) const;
  bool implements(std::string_view service, std::string_view operation) const {
    return find(service, operation) != nullptr;
  }

 private:
  std::map<std::pair<std::string, std::string>, Handler, std::less<>> handlers_;
};

// Every service's operations, registered once.
const Registry& registry();

}  // namespace terrarium::services
