// libFuzzer target: the smithy-rpc-v2-cbor protocol's request parser
// (CloudWatch) and input validation. The input picks an operation; the rest
// is the CBOR body.
#include "fuzz_common.hpp"

using namespace terrarium;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::ServiceModel& cloudwatch = fuzz::model("cloudwatch");
  FuzzedDataProvider fdp(data, size);
  const auto& op = fuzz::pick_operation(fdp, cloudwatch);

  http::Request request;
  request.method = "POST";
  request.target = "/service/GraniteServiceVersion20100801/operation/" + op.name;
  request.headers.emplace("smithy-protocol", "rpc-v2-cbor");
  request.headers.emplace("Content-Type", "application/cbor");
  request.headers.emplace("Accept", "application/cbor");
  request.body = fdp.ConsumeRemainingBytesAsString();
  fuzz::parse_and_validate("smithy-rpc-v2-cbor", cloudwatch, op, request);
  return 0;
}
