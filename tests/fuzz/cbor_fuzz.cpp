// libFuzzer target: the CBOR decoder and the smithy-rpc-v2-cbor request parser.
// Any input must end in a value or a clean error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/cbor.hpp"
#include "protocol/families.hpp"
#include "protocol/model.hpp"

using namespace terrarium;
using namespace terrarium::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const cbor::Item item = cbor::decode(bytes);
    (void)cbor::to_value(item);
    const std::string again = cbor::encode(item);
    (void)cbor::decode(again);
  } catch (const cbor::DecodeError&) {
  }
  static const ServiceModel* model = embedded_model("cloudwatch");
  if (!model) return 0;
  for (const char* name : {"PutMetricData", "GetMetricData", "PutDashboard"}) {
    const Operation* op = model->operation(name);
    if (!op) continue;
    http::Request request;
    request.method = "POST";
    request.target = std::string("/service/GraniteServiceVersion20100801/operation/") + name;
    request.headers.emplace("smithy-protocol", "rpc-v2-cbor");
    request.body = bytes;
    try {
      (void)cbor_protocol().parse_request(*model, *op, request);
    } catch (const AwsError&) {
    }
  }
  return 0;
}
