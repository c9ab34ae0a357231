// Runs AWS's protocol test vectors through our parsers and serializers and
// prints one JSON line per case; tests/protocol/run_conformance.py compares
// the lines with the vectors (outputs through botocore's own parsers).
//
//   protocol_conformance input  <suite-file.json>   -> {"suite","case","id","params"|"error"}
//   protocol_conformance output <suite-file.json>   -> {"suite","case","id","status","headers","body_b64"|"error"}
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/base64.hpp"
#include "protocol/protocol.hpp"

namespace json = boost::json;
using namespace terrarium;

namespace {

std::unique_ptr<protocol::ServiceModel> model_for_case(const json::object& suite,
                                                      const json::object& test_case) {
  const auto& given = test_case.at("given").as_object();
  json::object operations;
  operations[given.at("name").as_string()] = given;
  json::object shapes = suite.contains("shapes") ? suite.at("shapes").as_object() : json::object{};
  return std::make_unique<protocol::ServiceModel>("test", suite.at("metadata").as_object(),
                                                  std::move(shapes), std::move(operations));
}

// `binary_body`: the vectors give binary bodies (smithy-rpc-v2-cbor) in base64.
http::Request request_for(const json::object& serialized, bool binary_body) {
  http::Request request;
  request.method = std::string(serialized.at("method").as_string());
  request.target = std::string(serialized.at("uri").as_string());
  if (const auto* headers = serialized.if_contains("headers"))
    for (const auto& [k, v] : headers->as_object())
      request.headers.emplace(std::string(k), std::string(v.as_string()));
  if (const auto* body = serialized.if_contains("body")) {
    request.body = std::string(body->as_string());
    if (binary_body) request.body = base64_decode(request.body).value_or(request.body);
  }
  if (!request.headers.count("Host")) request.headers.emplace("Host", "localhost");
  return request;
}

json::object run_input(const json::object& suite, const json::object& test_case) {
  auto model = model_for_case(suite, test_case);
  const auto& op = model->operations().front();
  const auto* family = protocol::protocol_for(model->protocol());
  if (!family) return {{"error", "unknown protocol " + model->protocol()}};
  auto request = request_for(test_case.at("serialized").as_object(),
                             model->protocol() == "smithy-rpc-v2-cbor");
  try {
    return {{"params", family->parse_request(*model, op, request)}};
  } catch (const AwsError& e) {
    return {{"error", e.code() + ": " + e.message()}};
  } catch (const std::exception& e) {
    return {{"error", std::string("exception: ") + e.what()}};
  }
}

json::object encode_response(const http::Response& response) {
  json::object headers;
  for (const auto& [k, v] : response.headers) headers[k] = v;
  return {{"status", response.status},
          {"headers", std::move(headers)},
          {"body_b64", base64_encode(response.body)}};
}

json::object run_output(const json::object& suite, const json::object& test_case) {
  auto model = model_for_case(suite, test_case);
  const auto& op = model->operations().front();
  const auto* family = protocol::protocol_for(model->protocol());
  if (!family) return {{"error", "unknown protocol " + model->protocol()}};
  try {
    if (const auto* code = test_case.if_contains("errorCode")) {
      const auto* message = test_case.if_contains("errorMessage");
      const int status =
          static_cast<int>(test_case.at("response").as_object().at("status_code").to_number<int64_t>());
      AwsError error(std::string(code->as_string()),
                     message ? std::string(message->as_string()) : std::string(), status,
                     status < 500);
      if (const auto* fields = test_case.if_contains("error"))
        for (const auto& [k, v] : fields->as_object())
          if (k != "Code" && k != "Message" && k != "message") error.with_field(k, v);
      return encode_response(family->serialize_error(*model, &op, error, "request-id"));
    }
    const auto* result = test_case.if_contains("result");
    return encode_response(family->serialize_response(
        *model, op, result ? *result : json::value(json::object{}), "request-id"));
  } catch (const AwsError& e) {
    return {{"error", e.code() + ": " + e.message()}};
  } catch (const std::exception& e) {
    return {{"error", std::string("exception: ") + e.what()}};
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "input" && std::string(argv[1]) != "output")) {
    std::cerr << "usage: protocol_conformance input|output <suite-file.json>\n";
    return 2;
  }
  const bool input = std::string(argv[1]) == "input";
  std::ifstream file(argv[2]);
  std::stringstream text;
  text << file.rdbuf();
  const json::array suites = json::parse(text.str()).as_array();
  for (size_t s = 0; s < suites.size(); ++s) {
    const auto& suite = suites[s].as_object();
    const auto& cases = suite.at("cases").as_array();
    for (size_t c = 0; c < cases.size(); ++c) {
      const auto& test_case = cases[c].as_object();
      json::object line = input ? run_input(suite, test_case) : run_output(suite, test_case);
      line["suite"] = s;
      line["case"] = c;
      if (const auto* id = test_case.if_contains("id")) line["id"] = *id;
      std::cout << json::serialize(line) << '\n';
    }
  }
}
