#pragma once
// What routing needs to know about each embedded service before any model is
// parsed. Generated at build time by tools/embed_models.py.
#include <string_view>
#include <vector>

namespace terrarium::protocol {

struct ModelIndexEntry {
  std::string_view service;          // our name: "sts", "cloudwatch", ...
  std::string_view protocol;         // default protocol family
  std::vector<std::string_view> protocols;  // every family the service speaks
  std::string_view signing_name;     // SigV4 scope service: "monitoring", ...
  std::string_view endpoint_prefix;  // host prefix: "elasticloadbalancing", ...
  std::string_view target_prefix;    // X-Amz-Target prefix for json protocols
  std::string_view api_version;
  std::string_view json_version;
  bool aws_query_compatible;
  size_t operation_count;
  std::string_view model_json;       // the stripped model, parsed on first use
};

extern const char* const kBotocoreVersion;
const std::vector<ModelIndexEntry>& model_index();

}  // namespace terrarium::protocol
