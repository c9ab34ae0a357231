#include "services/registry.hpp"

namespace terrarium::services {

void Registry::add(std::string service, std::string operation, Handler handler, Access access,
                   OperationTraits traits) {
  handlers_.insert_or_assign({std::move(service), std::move(operation)},
                             Implementation{std::move(handler), std::move(access), traits});
}

const Implementation* Registry::find(std::string_view service, std::string_view operation) const {
  auto it = handlers_.find(std::pair<std::string, std::string>(service, operation));
  return it == handlers_.end() ? nullptr : &it->second;
}

size_t Registry::implemented_count(std::string_view service) const {
  size_t n = 0;
  for (const auto& [key, handler] : handlers_)
    if (key.first == service) ++n;
  return n;
}

}  // namespace terrarium::services
