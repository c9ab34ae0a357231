// libFuzzer target: the rest-json protocol's request parser (Lambda, EKS):
// URI labels, query string, headers and JSON body, then input validation.
#include "fuzz_common.hpp"

using namespace terrarium;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::ServiceModel& lambda = fuzz::model("lambda");
  static const protocol::ServiceModel& eks = fuzz::model("eks");
  FuzzedDataProvider fdp(data, size);
  const auto& m = fuzz::pick_model(fdp, {&lambda, &eks});
  const auto& op = fuzz::pick_operation(fdp, m);
  const http::Request request = fuzz::rest_request(fdp, op);
  fuzz::parse_and_validate("rest-json", m, op, request);
  return 0;
}
