// libFuzzer target: REST routing and the rest-json / rest-xml request parsers
// over real models. The input is split into a request target, one header
// line and a body (separated by '\n'); any input must end in a value or an
// AwsError, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/families.hpp"
#include "protocol/model.hpp"
#include "protocol/rest_bindings.hpp"

using namespace terrarium;
using namespace terrarium::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto first = input.find('\n');
  const auto second = first == std::string_view::npos ? first : input.find('\n', first + 1);
  http::Request request;
  request.target = "/" + std::string(input.substr(0, first));
  if (first != std::string_view::npos) {
    const auto header = input.substr(
        first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
    const auto colon = header.find(':');
    if (colon != std::string_view::npos)
      request.headers.emplace(std::string(header.substr(0, colon)),
                              std::string(header.substr(colon + 1)));
    if (second != std::string_view::npos) request.body = std::string(input.substr(second + 1));
  }

  for (const char* service : {"s3", "lambda", "eks", "route53"}) {
    const ServiceModel* model = embedded_model(service);
    if (!model) continue;
    const Protocol* family = protocol_for(model->protocol());
    for (const char* method : {"GET", "PUT", "POST"}) {
      request.method = method;
      auto match = rest::find_operation(*model, request);
      if (!match) continue;
      try {
        (void)family->parse_request(*model, *match->operation, request);
      } catch (const AwsError&) {
      }
    }
  }
  return 0;
}
