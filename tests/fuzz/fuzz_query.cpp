// libFuzzer target: the query protocol's request parser (STS, IAM) and input
// validation. The input picks an operation and GET or POST; the rest is the
// form text that follows `Action=<op>&Version=<version>&`.
#include "fuzz_common.hpp"

using namespace terrarium;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::ServiceModel& sts = fuzz::model("sts");
  static const protocol::ServiceModel& iam = fuzz::model("iam");
  FuzzedDataProvider fdp(data, size);
  const auto& m = fuzz::pick_model(fdp, {&sts, &iam});
  const auto& op = fuzz::pick_operation(fdp, m);
  const bool post = fdp.ConsumeBool();

  std::string form = "Action=" + op.name + "&Version=" +
                     std::string(m.metadata_string("apiVersion")) + "&";
  form += fdp.ConsumeRemainingBytesAsString();
  http::Request request;
  if (post) {
    request.method = "POST";
    request.target = "/";
    request.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    request.body = std::move(form);
  } else {
    request.method = "GET";
    request.target = "/?" + form;
  }
  fuzz::parse_and_validate("query", m, op, request);
  return 0;
}
