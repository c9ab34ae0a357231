#include "dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "auth/sigv4.hpp"
#include "core/context.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "protocol/protocol.hpp"
#include "protocol/validate.hpp"
#include "services/authorization.hpp"
#include "services/registry.hpp"

namespace terrarium {

namespace {

// How AWS words authentication errors differs by service family.
auth::ErrorStyle error_style(const protocol::Route& route) {
  if (route.service && route.service->service == "s3") return auth::ErrorStyle::kS3;
  if (route.family == "json" || route.family == "rest-json" || route.family == "smithy-rpc-v2-cbor")
    return auth::ErrorStyle::kJson;
  return auth::ErrorStyle::kQuery;
}

// The family's answer to a request that names no operation it knows.
AwsError unknown_operation(const protocol::Route& route) {
  if (route.family == "query" || route.family == "ec2") {
    if (route.operation_name.empty()) return AwsError("MissingAction", "Missing Action");
    return AwsError("InvalidAction", "The action " + route.operation_name +
                                         " is not valid for this web service.");
  }
  if (route.family == "rest-xml")
    return AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
  if (route.family == "rest-json") return AwsError("UnknownOperationException", "", 404);
  return AwsError("UnknownOperationException", "", 400);
}

// Services whose state decides what callers may do.
bool changes_permissions(std::string_view service) {
  return service == "iam" || service == "organizations";
}

AwsError missing_authentication(auth::ErrorStyle style) {
  if (style == auth::ErrorStyle::kJson)
    return AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  return AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
}

}  // namespace

Dispatcher::Dispatcher(const ServerConfig& config, store::Store& store)
    : config_(config), store_(store), credentials_(store), authorizer_(store) {
  router_options_.s3_domains = config.s3_domains;
}

http::Response Dispatcher::handle(http::Request& request) {
  const auto start = std::chrono::steady_clock::now();
  if (request.raw_path().rfind("/_terrarium/", 0) == 0) return handle_internal(request);
  const std::string request_id = new_request_id();
  http::Response response = handle_aws(request, request_id);
  if (spdlog::should_log(spdlog::level::info)) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start).count();
    spdlog::info("{} {} {} {} {} {}us", request_id, request.remote_ip, request.method,
                 request.target, response.status, micros);
  }
  return response;
}

http::Response Dispatcher::handle_aws(http::Request& request, const std::string& request_id) {
  const auto sig = auth::parse_sigv4(request);
  const protocol::Route route =
      protocol::route_request(request, sig ? std::string_view(sig->service) : "", router_options_);
  const protocol::Protocol* family = protocol::protocol_for(route.family);
  const auto& model = *route.model;
  const auth::ErrorStyle style = error_style(route);

  Context ctx;
  ctx.service = std::string(route.service->service);
  ctx.operation = route.operation_name;
  ctx.request_id = request_id;
  ctx.request = &request;
  ctx.config = &config_;
  ctx.store = &store_;
  ctx.credentials = &credentials_;
  ctx.region = sig && !sig->region.empty() ? sig->region : config_.default_region;
  try {
    if (!route.operation) throw unknown_operation(route);
    const services::Implementation* impl = services::registry().find(ctx.service, ctx.operation);
    const bool verify = config_.verify_signatures;
    if (verify && (!sig || sig->access_key_id.empty()) && !(impl && impl->traits.anonymous))
      throw missing_authentication(style);
    ctx.caller = auth::resolve_caller(sig, request, credentials_, config_, verify, style,
                                      now_epoch_seconds(), route.virtual_host_bucket);
    // Unsigned requests act as the default account's root unless signatures
    // are verified, so curl and unsigned SDK clients work out of the box.
    if (!verify && ctx.caller.type == PrincipalType::kAnonymous && !(impl && impl->traits.anonymous)) {
      ctx.caller.type = PrincipalType::kRoot;
      ctx.caller.arn = "arn:aws:iam::" + ctx.caller.account_id + ":root";
      ctx.caller.user_id = ctx.caller.account_id;
    }
    if (!impl) throw not_implemented(ctx.service, ctx.operation);
    if (!route.path_style_target.empty()) request.target = route.path_style_target;

    const Value input = family->parse_request(model, *route.operation, request);
    protocol::validate_input(model, *route.operation, input, route.family);
    if (config_.enforce_iam) authorizer_.authorize(ctx, model, *impl, input);
    const Value output = impl->handler(ctx, input);
    if (ctx.open_txn) {
      const bool wrote = !ctx.open_txn->read_only();
      ctx.open_txn->commit();
      if (wrote && changes_permissions(ctx.service)) authorizer_.invalidate();
    }
    for (const auto& hook : ctx.after_commit) hook();
    return family->serialize_response(model, *route.operation, output, request_id);
  } catch (const AwsError& e) {
    ctx.open_txn.reset();
    return family->serialize_error(model, route.operation, e, request_id);
  } catch (const std::exception& e) {
    ctx.open_txn.reset();
    spdlog::error("{} {}.{} failed: {}", request_id, ctx.service, ctx.operation, e.what());
    return family->serialize_error(
        model, route.operation,
        AwsError("InternalFailure", "The request processing has failed because of an unknown error.", 500, false),
        request_id);
  }
}

}  // namespace terrarium
