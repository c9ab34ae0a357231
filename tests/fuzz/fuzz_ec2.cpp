// libFuzzer target: the ec2 protocol's request parser and input validation.
// The input picks an operation and GET or POST; the rest is the form text
// that follows `Action=<op>&Version=<version>&`.
#include "fuzz_common.hpp"

using namespace terrarium;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const protocol::ServiceModel& ec2 = fuzz::model("ec2");
  FuzzedDataProvider fdp(data, size);
  const auto& op = fuzz::pick_operation(fdp, ec2);
  const bool post = fdp.ConsumeBool();

  std::string form = "Action=" + op.name + "&Version=" +
                     std::string(ec2.metadata_string("apiVersion")) + "&";
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
  fuzz::parse_and_validate("ec2", ec2, op, request);
  return 0;
}
