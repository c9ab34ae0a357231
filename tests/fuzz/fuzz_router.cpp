// libFuzzer target: protocol::route_request on arbitrary requests. Routing
// runs outside the dispatcher's try block, so it must never throw, and the
// dispatcher dereferences the service, the model and the family it returns.
#include "fuzz_common.hpp"
#include "protocol/router.hpp"

using namespace terrarium;

namespace {

const std::vector<std::string> kHeaderNames = {
    "Host", "X-Amz-Target", "smithy-protocol", "Content-Type", "Content-Encoding",
    "Authorization", "X-Amz-Date", "x-amz-content-sha256"};
const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"};
const std::vector<std::string> kSigningNames = {"s3", "sts", "iam", "ec2", "monitoring", "kms",
                                               "logs", "lambda", "eks", "route53", "cloudfront"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::RouterOptions options = [] {
    protocol::RouterOptions o;
    o.s3_domains = {"s3.localhost", "s3.localhost.localstack.cloud", "s3.amazonaws.com"};
    return o;
  }();
  FuzzedDataProvider fdp(data, size);
  http::Request request;
  request.method = fuzz::pick_name(fdp, kMethods, 8);
  const std::string signing = fdp.ConsumeBool() ? fuzz::pick_name(fdp, kSigningNames, 16) : "";
  request.target = fdp.ConsumeRandomLengthString(256);
  for (int n = fdp.ConsumeIntegralInRange<int>(0, 6); n > 0; --n) {
    std::string name = fuzz::pick_name(fdp, kHeaderNames);
    request.headers.emplace(std::move(name), fdp.ConsumeRandomLengthString(128));
  }
  request.body = fdp.ConsumeRemainingBytesAsString();
  fuzz::print_request(signing.empty() ? "router" : "router, signed for " + signing, request);

  protocol::Route route;
  try {
    route = protocol::route_request(request, signing, options);
  } catch (const std::exception& e) {
    fuzz::fail("route_request", std::string("threw: ") + e.what());
  }
  if (!route.service || !route.model) fuzz::fail("route_request", "no service or model");
  if (!protocol::protocol_for(route.family)) fuzz::fail("route_request", "unknown family " + route.family);
  if (route.operation && route.model->operation(route.operation->name) != route.operation)
    fuzz::fail("route_request", "operation not of the routed model");
  return 0;
}
