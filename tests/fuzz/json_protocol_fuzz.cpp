// libFuzzer target: the json (1.0/1.1) request parser over real models, plain
// and gzip-encoded. Any input must end in a value or an AwsError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/families.hpp"
#include "protocol/model.hpp"

using namespace terrarium;
using namespace terrarium::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  static const ServiceModel* kms = embedded_model("kms");
  static const ServiceModel* ecs = embedded_model("ecs");
  const std::pair<const ServiceModel*, const char*> targets[] = {
      {kms, "CreateKey"}, {kms, "Encrypt"}, {ecs, "RegisterTaskDefinition"}};
  for (const auto& [model, name] : targets) {
    if (!model) continue;
    const Operation* op = model->operation(name);
    if (!op) continue;
    for (bool gzip : {false, true}) {
      http::Request request;
      request.method = "POST";
      request.target = "/";
      request.headers.emplace("Content-Type", "application/x-amz-json-1.1");
      if (gzip) request.headers.emplace("Content-Encoding", "gzip");
      request.body = body;
      try {
        (void)json_protocol().parse_request(*model, *op, request);
      } catch (const AwsError&) {
      }
    }
  }
  return 0;
}
