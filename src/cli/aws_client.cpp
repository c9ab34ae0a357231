#include "cli/aws_client.hpp"

#include <chrono>

#include "http/client.hpp"
#include "http/message.hpp"

namespace terrarium::cli {

namespace {

// "http://host:port/anything" -> "host:port", which is what Host must say and
// what the signature covers.
std::string authority_of(const std::string& endpoint) {
  auto rest = std::string_view(endpoint);
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

double now_epoch() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

// JSON error types may carry a namespace ("com.amazon...#Code") or, in the
// header, a trailing ":http://internal.amazon.com/..." that is not part of it.
std::string clean_error_type(std::string_view type) {
  if (const auto colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  if (const auto hash = type.rfind('#'); hash != std::string_view::npos) type = type.substr(hash + 1);
  return std::string(type);
}

}  // namespace

pugi::xml_node find_element(pugi::xml_node node, std::string_view name) {
  if (!node) return {};
  if (node.type() == pugi::node_element && name == node.name()) return node;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    if (auto found = find_element(child, name)) return found;
  }
  return {};
}

std::string element_text(pugi::xml_node node, std::string_view name) {
  return find_element(node, name).text().as_string();
}

std::pair<std::string, std::string> parse_error_body(int status, std::string_view body,
                                                     std::string_view error_type_header) {
  std::string code = clean_error_type(error_type_header);
  std::string message;
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  if (!ec && json.is_object()) {
    const auto& obj = json.as_object();
    for (const char* key : {"__type", "code", "Code"})
      if (const auto* v = obj.if_contains(key); v && v->is_string() && code.empty())
        code = clean_error_type(v->as_string());
    for (const char* key : {"message", "Message", "errorMessage"})
      if (const auto* v = obj.if_contains(key); v && v->is_string() && message.empty())
        message = std::string(v->as_string());
  } else {
    pugi::xml_document doc;
    if (doc.load_buffer(body.data(), body.size())) {
      if (auto error = find_element(doc, "Error")) {
        if (code.empty()) code = element_text(error, "Code");
        message = element_text(error, "Message");
      }
    }
  }
  if (code.empty()) code = "HTTP" + std::to_string(status);
  if (message.empty() && code.rfind("HTTP", 0) == 0) message = std::string(body.substr(0, 300));
  return {code, message};
}

AwsClient::RawResponse AwsClient::post(std::string_view signing_name, std::string_view body,
                                       std::vector<std::pair<std::string, std::string>> headers) const {
  http::Request request;
  request.method = "POST";
  request.target = "/";
  request.body = std::string(body);
  request.headers.emplace("Host", authority_of(endpoint_));
  for (auto& [k, v] : headers) request.headers.emplace(std::move(k), std::move(v));
  auth::SignParams params;
  params.region = region_;
  params.service = std::string(signing_name);
  params.time = now_epoch();
  auth::sign_request(request, credentials_, params);

  http::Response response;
  try {
    response = http::simple_request(endpoint_, request.method, request.target, request.body, request.headers);
  } catch (const std::exception& e) {
    // Boost appends the source location ("... [system:111 at /usr/include/...]"): not for users.
    std::string what = e.what();
    if (const auto at = what.find(" ["); at != std::string::npos) what.resize(at);
    throw UnreachableError(what);
  }
  RawResponse raw;
  raw.status = response.status;
  raw.body = std::move(response.body);
  raw.error_type_header = response.header("x-amzn-ErrorType").value_or("");
  return raw;
}

boost::json::object AwsClient::json_call(std::string_view signing_name, std::string_view target_prefix,
                                         std::string_view operation, const boost::json::object& input,
                                         std::string_view json_version) const {
  const auto raw = post(signing_name, boost::json::serialize(input),
                        {{"Content-Type", "application/x-amz-json-" + std::string(json_version)},
                         {"X-Amz-Target", std::string(target_prefix) + "." + std::string(operation)}});
  if (raw.status >= 300) {
    auto [code, message] = parse_error_body(raw.status, raw.body, raw.error_type_header);
    throw AwsCallError(std::move(code), std::move(message), raw.status);
  }
  if (raw.body.empty()) return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(raw.body, ec);
  if (ec || !value.is_object())
    throw AwsCallError("InvalidResponse", std::string(operation) + " returned a body that is not a JSON object",
                       raw.status);
  return std::move(value.as_object());
}

std::unique_ptr<pugi::xml_document> AwsClient::query_call(std::string_view signing_name,
                                                          std::string_view version,
                                                          std::string_view action,
                                                          const QueryParams& params) const {
  std::string body = "Action=" + http::percent_encode(action) + "&Version=" + http::percent_encode(version);
  for (const auto& [k, v] : params) body += "&" + http::percent_encode(k) + "=" + http::percent_encode(v);
  const auto raw = post(signing_name, body,
                        {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}});
  if (raw.status >= 300) {
    auto [code, message] = parse_error_body(raw.status, raw.body, raw.error_type_header);
    throw AwsCallError(std::move(code), std::move(message), raw.status);
  }
  auto doc = std::make_unique<pugi::xml_document>();
  if (!doc->load_buffer(raw.body.data(), raw.body.size()))
    throw AwsCallError("InvalidResponse", std::string(action) + " returned a body that is not XML", raw.status);
  return doc;
}

}  // namespace terrarium::cli
