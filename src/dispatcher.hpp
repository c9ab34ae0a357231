#pragma once
// The path every request takes (see docs/architecture.md):
// route -> authenticate -> parse -> validate -> handle -> commit -> serialize.
#include <chrono>

#include "auth/credentials.hpp"
#include "core/server_config.hpp"
#include "http/message.hpp"
#include "protocol/router.hpp"
#include "services/authorization.hpp"
#include "store/store.hpp"

namespace terrarium {

class Dispatcher {
 public:
  Dispatcher(const ServerConfig& config, store::Store& store);

  // Thread-safe; never throws.
  http::Response handle(http::Request& request);

 private:
  http::Response handle_aws(http::Request& request, const std::string& request_id);
  http::Response handle_internal(const http::Request& request);

  const ServerConfig& config_;
  store::Store& store_;
  auth::CredentialStore credentials_;
  services::Authorizer authorizer_;
  protocol::RouterOptions router_options_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace terrarium
