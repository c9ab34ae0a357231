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
#include "services/access.hpp"
#include "core/value.hpp"

namespace terrarium::services {

using Handler = std::function<Value(Context&, const Value& input)>;

struct OperationTraits {
  // AWS serves it without a signature (STS AssumeRoleWithWebIdentity, S3
  // reads of public objects, ...); every other operation needs one under
  // --verify-signatures.
  bool anonymous = false;
};

struct Implementation {
  Handler handler;
  Access access;
  OperationTraits traits;
};

class Registry {
 public:
  void add(std::string service, std::string operation, Handler handler, Access access = {},
           OperationTraits traits = {});
  const Implementation* find(std::string_view service, std::string_view operation) const;
  size_t implemented_count(std::string_view service) const;
  bool implements(std::string_view service, std::string_view operation) const {
    return find(service, operation) != nullptr;
  }
  // Every implemented (service, operation), in order.
  const auto& all() const { return handlers_; }

 private:
  std::map<std::pair<std::string, std::string>, Implementation, std::less<>> handlers_;
};

// Every service's operations, registered once (services/all_services.cpp).
const Registry& registry();

// One per service, each in services/<name>/register.cpp.
void register_sts(Registry& registry);
void register_iam(Registry& registry);
void register_organizations(Registry& registry);

}  // namespace terrarium::services
