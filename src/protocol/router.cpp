#include "protocol/router.hpp"

#include <algorithm>

#include "protocol/rest_bindings.hpp"

namespace terrarium::protocol {

namespace {

const ModelIndexEntry* find_entry(bool (*match)(const ModelIndexEntry&, std::string_view),
                                  std::string_view key) {
  for (const auto& entry : model_index())
    if (match(entry, key)) return &entry;
  return nullptr;
}

const ModelIndexEntry* by_service_name(std::string_view name) {
  return find_entry([](const ModelIndexEntry& e, std::string_view k) { return e.service == k; }, name);
}

const ModelIndexEntry* by_target_prefix(std::string_view prefix) {
  return find_entry([](const ModelIndexEntry& e, std::string_view k) {
    return !e.target_prefix.empty() && e.target_prefix == k;
  }, prefix);
}

const ModelIndexEntry* by_signing_name(std::string_view name) {
  return find_entry([](const ModelIndexEntry& e, std::string_view k) { return e.signing_name == k; }, name);
}

const ModelIndexEntry* by_endpoint_prefix(std::string_view prefix) {
  return find_entry([](const ModelIndexEntry& e, std::string_view k) { return e.endpoint_prefix == k; }, prefix);
}

// Query and EC2 clients always send Version; each API version is one service.
const ModelIndexEntry* by_api_version(std::string_view version) {
  return find_entry([](const ModelIndexEntry& e, std::string_view k) {
    return e.api_version == k && (e.protocol == "query" || e.protocol == "ec2" ||
                                  std::find(e.protocols.begin(), e.protocols.end(), "query") != e.protocols.end());
  }, version);
}

bool speaks(const ModelIndexEntry& entry, std::string_view family) {
  return std::find(entry.protocols.begin(), entry.protocols.end(), family) != entry.protocols.end();
}

std::string_view host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_form(const http::Request& request) {
  auto type = request.header("Content-Type");
  return type && type->find("application/x-www-form-urlencoded") != std::string::npos;
}

// Action and Version of a query/ec2 request, from the form body or the URL.
std::pair<std::string, std::string> query_action(const http::Request& request) {
  std::string action, version;
  auto scan = [&](const std::vector<std::pair<std::string, std::string>>& params) {
    for (const auto& [k, v] : params) {
      if (k == "Action" && action.empty()) action = v;
      if (k == "Version" && version.empty()) version = v;
    }
  };
  if (request.method == "POST" && is_form(request)) scan(http::parse_form(request.body, true));
  if (action.empty()) scan(request.query_params());
  return {action, version};
}

constexpr std::string_view kSmithyPathPrefix = "/service/";

}  // namespace

Route route_request(const http::Request& request, std::string_view signing_service,
                    const RouterOptions& options) {
  Route route;
  const auto target = request.header("X-Amz-Target");
  const bool smithy = request.header("smithy-protocol").has_value();
  const std::string_view host = host_without_port(request.header("Host").value_or(""));
  std::string bucket;  // S3 virtual host

  // 1. Which service.
  std::string target_operation;
  if (target) {
    const auto dot = target->find('.');
    route.service = by_target_prefix(target->substr(0, dot));
    if (dot != std::string::npos) target_operation = target->substr(dot + 1);
  }
  std::string smithy_operation;
  if (smithy && request.raw_path().rfind(kSmithyPathPrefix, 0) == 0) {
    // /service/<ServiceShape>/operation/<Operation>
    const std::string path = request.path();
    const auto op_at = path.find("/operation/");
    if (op_at != std::string::npos) {
      if (!route.service)
        route.service = by_target_prefix(std::string_view(path).substr(
            kSmithyPathPrefix.size(), op_at - kSmithyPathPrefix.size()));
      smithy_operation = path.substr(op_at + 11);
    }
  }
  for (const auto& domain : options.s3_domains) {
    if (host.size() > domain.size() + 1 && ends_with(host, "." + domain)) {
      bucket = std::string(host.substr(0, host.size() - domain.size() - 1));
      route.service = by_service_name("s3");
    }
  }
  if (!route.service && !signing_service.empty()) route.service = by_signing_name(signing_service);
  if (!route.service && !host.empty()) route.service = by_endpoint_prefix(host.substr(0, host.find('.')));
  std::pair<std::string, std::string> action;
  if (!route.service || route.service->protocol == "query" || route.service->protocol == "ec2" ||
      speaks(*route.service, "query")) {
    action = query_action(request);
    if (!route.service && !action.second.empty()) route.service = by_api_version(action.second);
  }
  // Anything else is S3, as on AWS's own endpoints for unsigned REST calls.
  if (!route.service) route.service = by_service_name("s3");

  // 2. Which protocol family.
  const auto& svc = *route.service;
  if (svc.protocols.size() > 1) {
    if (smithy && speaks(svc, "smithy-rpc-v2-cbor")) route.family = "smithy-rpc-v2-cbor";
    else if (target && speaks(svc, "json")) route.family = "json";
    else if (speaks(svc, "query")) route.family = "query";
    else route.family = std::string(svc.protocol);
  } else {
    route.family = std::string(svc.protocol);
  }

  // 3. Which operation.
  route.model = embedded_model(svc.service);
  if (route.family == "query" || route.family == "ec2") {
    route.operation_name = action.first;
  } else if (route.family == "json") {
    route.operation_name = target_operation;
  } else if (route.family == "smithy-rpc-v2-cbor") {
    route.operation_name = smithy_operation;
  } else {
    std::string raw_path(request.raw_path());
    if (!bucket.empty()) {
      route.virtual_host_bucket = bucket;
      raw_path = "/" + bucket + (raw_path == "/" ? "" : raw_path);
      const auto query = request.raw_query();
      route.path_style_target = raw_path + (query.empty() ? "" : "?" + std::string(query));
    }
    if (auto match = rest::find_operation(*route.model, request.method, raw_path,
                                          request.query_params(), request.headers)) {
      route.operation = match->operation;
      route.operation_name = match->operation->name;
    }
    return route;
  }
  route.operation = route.model->operation(route.operation_name);
  return route;
}

}  // namespace terrarium::protocol
