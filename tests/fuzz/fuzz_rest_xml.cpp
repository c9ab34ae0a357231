// libFuzzer target: the rest-xml protocol's request parser (S3, Route 53):
// URI labels, query string, headers and XML body, then input validation.
#include "fuzz_common.hpp"

using namespace terrarium;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::ServiceModel& s3 = fuzz::model("s3");
  static const protocol::ServiceModel& route53 = fuzz::model("route53");
  FuzzedDataProvider fdp(data, size);
  const auto& m = fuzz::pick_model(fdp, {&s3, &route53});
  const auto& op = fuzz::pick_operation(fdp, m);
  const http::Request request = fuzz::rest_request(fdp, op);
  fuzz::parse_and_validate("rest-xml", m, op, request);
  return 0;
}
