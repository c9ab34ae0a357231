// /_terrarium/: Terrarium's own endpoints beside the AWS APIs.
//   GET  /_terrarium/health              version, botocore version, uptime, coverage
//   POST /_terrarium/reset[?service=X]   forget all state, or one service's
#include <spdlog/spdlog.h>

#include "dispatcher.hpp"
#include "protocol/model_index.hpp"
#include "services/registry.hpp"

namespace terrarium {

namespace {

http::Response json_response(int status, const Value& body) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace

http::Response Dispatcher::handle_internal(const http::Request& request) {
  const std::string path = request.path();
  if (path == "/_terrarium/health" && (request.method == "GET" || request.method == "HEAD")) {
    Object services;
    for (const auto& entry : protocol::model_index())
      services[entry.service] = Object{
          {"implemented", services::registry().implemented_count(entry.service)},
          {"total", entry.operation_count}};
    const double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return json_response(200, Object{{"status", "running"},
                                     {"version", TERRARIUM_VERSION},
                                     {"botocore_version", protocol::kBotocoreVersion},
                                     {"uptime_seconds", uptime},
                                     {"ephemeral", config_.ephemeral},
                                     {"schema_version", store_.schema_version()},
                                     {"services", std::move(services)}});
  }
  if (path == "/_terrarium/reset" && request.method == "POST") {
    const std::string service = request.query_param("service").value_or("");
    if (!service.empty()) {
      bool known = false;
      for (const auto& entry : protocol::model_index()) known = known || entry.service == service;
      if (!known) return json_response(400, Object{{"error", "unknown service " + service}});
    }
    auto txn = store_.begin();
    txn->erase_prefix(service.empty() ? "" : service + "/");
    txn->commit();
    credentials_.clear_cache();
    authorizer_.invalidate();
    spdlog::info("reset {}", service.empty() ? "all state" : service);
    return json_response(200, Object{{"reset", service.empty() ? "all" : service}});
  }
  return json_response(404, Object{{"error", "no such endpoint " + path}});
}

}  // namespace terrarium
