#pragma once
// Shared pieces of the libFuzzer targets (tests/fuzz/fuzz_*.cpp): picking an
// operation of a real embedded model, building requests from fuzzed bytes,
// and the rule every target enforces: AwsError is an answer, anything else
// escaping a parser is a bug (reported loudly, then abort() so libFuzzer
// keeps the input as a crash).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/aws_error.hpp"
#include "http/message.hpp"
#include "protocol/families.hpp"
#include "protocol/model.hpp"
#include "protocol/protocol.hpp"
#include "protocol/validate.hpp"

namespace terrarium::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\n*** fuzz invariant broken: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Runs `body`; AwsError is an expected outcome, any other exception is a bug.
template <class F>
void expect_only_aws_errors(std::string_view where, F&& body) {
  try {
    body();
  } catch (const AwsError&) {
  } catch (const std::exception& e) {
    fail(where, std::string("escaped non-AwsError exception: ") + e.what());
  } catch (...) {
    fail(where, "escaped non-std exception");
  }
}

// An embedded model; the target is useless without it, so its absence aborts.
inline const protocol::ServiceModel& model(std::string_view service) {
  const protocol::ServiceModel* m = protocol::embedded_model(service);
  if (!m) fail("setup", std::string("no embedded model for ") + std::string(service));
  return *m;
}

inline const protocol::ServiceModel& pick_model(
    FuzzedDataProvider& fdp, std::initializer_list<const protocol::ServiceModel*> models) {
  const size_t i = fdp.ConsumeIntegralInRange<size_t>(0, models.size() - 1);
  return **(models.begin() + i);
}

inline const protocol::Operation& pick_operation(FuzzedDataProvider& fdp,
                                                 const protocol::ServiceModel& m) {
  const auto& ops = m.operations();
  if (ops.empty()) fail("setup", m.service() + " has no operations");
  return ops[fdp.ConsumeIntegralInRange<size_t>(0, ops.size() - 1)];
}

inline std::string_view string_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// Wire names of the input members bound to `location` ("header", "headers",
// "querystring", "uri"), so fuzzed requests hit the bindings the parsers read.
inline std::vector<std::string> bound_names(const protocol::Operation& op,
                                            std::string_view location) {
  std::vector<std::string> names;
  if (!op.input) return names;
  const auto* members = op.input->if_contains("members");
  if (!members || !members->is_object()) return names;
  for (const auto& [name, ref] : members->get_object()) {
    if (!ref.is_object() || string_field(ref.get_object(), "location") != location) continue;
    const auto wire = string_field(ref.get_object(), "locationName");
    names.emplace_back(wire.empty() ? std::string_view(name) : wire);
  }
  return names;
}

// A name from `names` most of the time, otherwise fuzzed bytes.
inline std::string pick_name(FuzzedDataProvider& fdp, const std::vector<std::string>& names,
                             size_t max_length = 32) {
  if (!names.empty() && fdp.ConsumeIntegralInRange<int>(0, 3) != 0)
    return names[fdp.ConsumeIntegralInRange<size_t>(0, names.size() - 1)];
  return fdp.ConsumeRandomLengthString(max_length);
}

// A REST request for `op`: its URI template with fuzzed labels, extra query
// parameters and headers named mostly after the operation's bound members,
// and the remaining bytes as the body.
inline http::Request rest_request(FuzzedDataProvider& fdp, const protocol::Operation& op) {
  http::Request request;
  request.method = op.http_method;
  const std::string_view uri = op.request_uri;
  const auto qmark = uri.find('?');
  const std::string_view path_template = uri.substr(0, qmark);
  std::string target;
  for (size_t i = 0; i < path_template.size();) {
    const auto open = path_template.find('{', i);
    const auto close = open == std::string_view::npos ? open : path_template.find('}', open);
    if (close == std::string_view::npos) {
      target.append(path_template.substr(i));
      break;
    }
    target.append(path_template.substr(i, open - i));
    const bool greedy = path_template[close - 1] == '+';
    const std::string label = fdp.ConsumeRandomLengthString(48);
    target += fdp.ConsumeBool() ? http::percent_encode(label, greedy) : label;
    i = close + 1;
  }
  std::string query(qmark == std::string_view::npos ? std::string_view() : uri.substr(qmark + 1));
  const auto query_names = bound_names(op, "querystring");
  for (int n = fdp.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
    if (!query.empty()) query += '&';
    query += http::percent_encode(pick_name(fdp, query_names));
    query += '=';
    const std::string value = fdp.ConsumeRandomLengthString(48);
    query += fdp.ConsumeBool() ? http::percent_encode(value) : value;
  }
  request.target = query.empty() ? target : target + "?" + query;

  auto header_names = bound_names(op, "header");
  for (const char* name : {"Content-Type", "Content-Encoding", "x-amz-content-sha256",
                           "x-amz-decoded-content-length"})
    header_names.emplace_back(name);
  const auto prefixes = bound_names(op, "headers");
  for (int n = fdp.ConsumeIntegralInRange<int>(0, 5); n > 0; --n) {
    std::string name;
    if (!prefixes.empty() && fdp.ConsumeBool()) {
      name = prefixes[fdp.ConsumeIntegralInRange<size_t>(0, prefixes.size() - 1)];
      name += fdp.ConsumeRandomLengthString(16);
    } else {
      name = pick_name(fdp, header_names);
    }
    std::string value = fdp.ConsumeRandomLengthString(64);
    request.headers.emplace(std::move(name), std::move(value));
  }
  request.body = fdp.ConsumeRemainingBytesAsString();
  return request;
}

// With TERRARIUM_FUZZ_VERBOSE set (when replaying a crash or checking what
// a seed decodes to), prints the request a target built from its input.
inline void print_request(std::string_view what, const http::Request& request) {
  static const bool verbose = std::getenv("TERRARIUM_FUZZ_VERBOSE") != nullptr;
  if (!verbose) return;
  auto escaped = [](std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.push_back(static_cast<char>(c));
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += hex;
      }
    }
    return out;
  };
  std::fprintf(stderr, "[%.*s] %s %s\n", static_cast<int>(what.size()), what.data(),
               escaped(request.method).c_str(), escaped(request.target).c_str());
  for (const auto& [k, v] : request.headers)
    std::fprintf(stderr, "  %s: %s\n", escaped(k).c_str(), escaped(v).c_str());
  std::fprintf(stderr, "  body: %s\n", escaped(request.body).c_str());
}

// The parse -> validate steps of the dispatcher for one family.
inline void parse_and_validate(std::string_view family, const protocol::ServiceModel& m,
                               const protocol::Operation& op, const http::Request& request) {
  const protocol::Protocol* proto = protocol::protocol_for(family);
  if (!proto) fail("setup", std::string("no protocol ") + std::string(family));
  print_request(m.service() + "." + op.name, request);
  expect_only_aws_errors(op.name, [&] {
    const Value input = proto->parse_request(m, op, request);
    protocol::validate_input(m, op, input, family);
  });
}

}  // namespace terrarium::fuzz
