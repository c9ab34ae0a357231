#include "services/registry.hpp"

namespace terrarium::services {

const Registry& registry() {
  static const Registry instance = [] {
    Registry r;
    register_sts(r);
    register_iam(r);
    register_organizations(r);
    return r;
  }();
  return instance;
}

}  // namespace terrarium::services
