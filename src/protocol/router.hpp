#pragma once
// Which service, protocol family and operation a request is for, from what
// clients put on the wire: X-Amz-Target, the smithy RPC v2 path, the SigV4
// scope's service, the Host, the query Action/Version, and REST method + URI
// templates. No model is parsed for a service until a request routes to it.
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "protocol/model.hpp"
#include "protocol/model_index.hpp"

namespace terrarium::protocol {

struct Route {
  const ModelIndexEntry* service = nullptr;  // null: no service recognised
  const ServiceModel* model = nullptr;
  std::string family;                        // "query", "json", ...
  const Operation* operation = nullptr;      // null: not an operation of the service
  std::string operation_name;                // as the client named it, for errors
  // S3 virtual-hosted requests (<bucket>.s3.localhost) are handled
  // path-style: the target to parse with, "" when unchanged.
  std::string path_style_target;
  std::string virtual_host_bucket;  // the bucket the Host names, or ""
};

struct RouterOptions {
  // Hosts under which S3 buckets are addressed: <bucket>.<domain>.
  std::vector<std::string> s3_domains;
};

// `signing_service` is the SigV4 scope's service ("" when unsigned).
Route route_request(const http::Request& request, std::string_view signing_service,
                    const RouterOptions& options);


}  // namespace terrarium::protocol
