// The request path without the network: Dispatcher::handle for signed
// requests, with and without --verify-signatures and --enforce-iam, so the
// CPU cost of each step shows apart from the socket work that dominates the
// wrk numbers (bench/enforcement.py).
//
//   ninja -C build request_path_bench && build/request_path_bench
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <stdexcept>

#include "auth/sigv4.hpp"
#include "core/server_config.hpp"
#include "core/time_format.hpp"
#include "dispatcher.hpp"
#include "store/store.hpp"

namespace {

using namespace terrarium;

http::Request query_request(std::string body) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.body = std::move(body);
  r.remote_ip = "127.0.0.1";
  r.headers.emplace("Host", "127.0.0.1:4566");
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

http::Request signed_request(std::string body, std::string_view service, const auth::Credentials& creds) {
  http::Request r = query_request(std::move(body));
  auth::SignParams params;
  params.service = std::string(service);
  params.time = now_epoch_seconds();
  auth::sign_request(r, creds, params);
  return r;
}

http::Response must(Dispatcher& d, http::Request r) {
  http::Response response = d.handle(r);
  if (response.status != 200) throw std::runtime_error(response.body);
  return response;
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
  const auto a = s.find(open);
  const auto b = s.find(close, a);
  if (a == std::string::npos || b == std::string::npos) throw std::runtime_error("no " + open + " in " + s);
  return s.substr(a + open.size(), b - a - open.size());
}

// One server (ephemeral store) with user `bench`, allowed iam:GetUser on itself.
struct Fixture {
  ServerConfig config;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Dispatcher> dispatcher;
  auth::Credentials user;

  explicit Fixture(bool verify, bool enforce) {
    config.verify_signatures = verify || enforce;
    config.enforce_iam = enforce;
    store = store::open_store("");
    dispatcher = std::make_unique<Dispatcher>(config, *store);
    const auth::Credentials root{"test", "test", ""};
    must(*dispatcher, signed_request("Action=CreateUser&Version=2010-05-08&UserName=bench", "iam", root));
    must(*dispatcher, signed_request(
                          "Action=PutUserPolicy&Version=2010-05-08&UserName=bench&PolicyName=self&PolicyDocument=" +
                              http::percent_encode(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                                   R"("Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]})"),
                          "iam", root));
    const auto key = must(*dispatcher, signed_request("Action=CreateAccessKey&Version=2010-05-08&UserName=bench",
                                                      "iam", root)).body;
    user = {between(key, "<AccessKeyId>", "</AccessKeyId>"), between(key, "<SecretAccessKey>", "</SecretAccessKey>"), ""};
  }
};

void run(benchmark::State& state, bool verify, bool enforce, const char* body, const char* service) {
  spdlog::set_level(spdlog::level::off);  // the access log is not what we measure
  Fixture f(verify, enforce);
  const http::Request request = signed_request(body, service, f.user);
  for (auto _ : state) {
    http::Request copy = request;
    http::Response response = f.dispatcher->handle(copy);
    if (response.status != 200) {
      state.SkipWithError(response.body.c_str());
      break;
    }
    benchmark::DoNotOptimize(response);
  }
}

constexpr const char* kGetCallerIdentity = "Action=GetCallerIdentity&Version=2011-06-15";
constexpr const char* kGetUser = "Action=GetUser&Version=2010-05-08&UserName=bench";

void GetCallerIdentity_default(benchmark::State& s) { run(s, false, false, kGetCallerIdentity, "sts"); }
void GetCallerIdentity_verify(benchmark::State& s) { run(s, true, false, kGetCallerIdentity, "sts"); }
void GetCallerIdentity_enforce(benchmark::State& s) { run(s, true, true, kGetCallerIdentity, "sts"); }
void GetUser_default(benchmark::State& s) { run(s, false, false, kGetUser, "iam"); }
void GetUser_verify(benchmark::State& s) { run(s, true, false, kGetUser, "iam"); }
void GetUser_enforce(benchmark::State& s) { run(s, true, true, kGetUser, "iam"); }

BENCHMARK(GetCallerIdentity_default);
BENCHMARK(GetCallerIdentity_verify);
BENCHMARK(GetCallerIdentity_enforce);
BENCHMARK(GetUser_default);
BENCHMARK(GetUser_verify);
BENCHMARK(GetUser_enforce);

}  // namespace

BENCHMARK_MAIN();
