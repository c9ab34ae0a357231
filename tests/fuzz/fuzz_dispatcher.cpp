// libFuzzer target: the whole request path (Dispatcher::handle: route,
// authenticate, parse, validate, handle, serialize) over an in-memory store,
// with signature verification off and on. The input is a request in HTTP/1.1
// text form, so seeds stay readable:
//   METHOD TARGET\n  Name: value\n ...  \n  body
// (a CR before each LF is dropped). The dispatcher must never throw, and an
// InternalFailure (500) means a non-AwsError exception escaped somewhere.
#include <spdlog/spdlog.h>

#include <memory>

#include "dispatcher.hpp"
#include "fuzz_common.hpp"
#include "store/store.hpp"

using namespace terrarium;

namespace {

http::Request parse_text(std::string_view in) {
  http::Request request;
  auto next_line = [&in]() {
    const auto lf = in.find('\n');
    std::string_view line = in.substr(0, lf);
    in = lf == std::string_view::npos ? std::string_view() : in.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  const std::string_view start = next_line();
  const auto sp = start.find(' ');
  request.method = std::string(start.substr(0, sp));
  if (sp != std::string_view::npos) {
    const std::string_view rest = start.substr(sp + 1);
    request.target = std::string(rest.substr(0, rest.find(' ')));
  }
  while (!in.empty()) {
    const std::string_view line = next_line();
    if (line.empty()) break;
    const auto colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    request.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
  }
  request.body = std::string(in);
  request.remote_ip = "127.0.0.1";
  return request;
}

struct Fixture {
  std::unique_ptr<store::Store> store = store::open_store("");
  ServerConfig open_config;
  ServerConfig verifying_config;
  std::unique_ptr<Dispatcher> open;
  std::unique_ptr<Dispatcher> verifying;

  Fixture() {
    open_config.ephemeral = true;
    verifying_config.ephemeral = true;
    verifying_config.verify_signatures = true;
    open = std::make_unique<Dispatcher>(open_config, *store);
    verifying = std::make_unique<Dispatcher>(verifying_config, *store);
  }
};

void check(const http::Response& response) {
  if (response.status < 100 || response.status > 599)
    fuzz::fail("Dispatcher::handle", "status " + std::to_string(response.status));
  if (response.status == 500 && response.body.find("InternalFailure") != std::string::npos)
    fuzz::fail("Dispatcher::handle", "InternalFailure (see the error logged above): " +
                                         response.body.substr(0, 400));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Per-request info logs would drown the fuzzer's output; errors still show
  // what escaped when a 500 is found.
  spdlog::set_level(spdlog::level::err);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  const http::Request request = parse_text({reinterpret_cast<const char*>(data), size});
  fuzz::print_request("dispatcher", request);
  for (Dispatcher* dispatcher : {fixture.open.get(), fixture.verifying.get()}) {
    http::Request copy = request;
    http::Response response;
    try {
      response = dispatcher->handle(copy);
    } catch (const std::exception& e) {
      fuzz::fail("Dispatcher::handle", std::string("threw: ") + e.what());
    }
    if (std::getenv("TERRARIUM_FUZZ_VERBOSE"))
      std::fprintf(stderr, "  -> %d %s\n", response.status, response.body.substr(0, 300).c_str());
    check(response);
  }
  return 0;
}
