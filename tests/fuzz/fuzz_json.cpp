// libFuzzer target: the json 1.0/1.1 protocol's request parser (KMS, Logs)
// and input validation. The input picks an operation and whether the body
// is declared gzip-encoded; the rest is the body.
#include "fuzz_common.hpp"

using namespace terrarium;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::ServiceModel& kms = fuzz::model("kms");
  static const protocol::ServiceModel& logs = fuzz::model("logs");
  FuzzedDataProvider fdp(data, size);
  const auto& m = fuzz::pick_model(fdp, {&kms, &logs});
  const auto& op = fuzz::pick_operation(fdp, m);
  const bool gzip = fdp.ConsumeBool();

  http::Request request;
  request.method = "POST";
  request.target = "/";
  request.headers.emplace("X-Amz-Target",
                          std::string(m.metadata_string("targetPrefix")) + "." + op.name);
  request.headers.emplace("Content-Type", "application/x-amz-json-" +
                                              std::string(m.metadata_string("jsonVersion")));
  if (gzip) request.headers.emplace("Content-Encoding", "gzip");
  request.body = fdp.ConsumeRemainingBytesAsString();
  fuzz::parse_and_validate("json", m, op, request);
  return 0;
}
