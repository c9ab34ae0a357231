#include "protocol/families.hpp"

namespace terrarium::protocol {

const Protocol* protocol_for(std::string_view family) {
  if (family == "query") return &query_protocol();
  if (family == "ec2") return &ec2_protocol();
  if (family == "json") return &json_protocol();
  if (family == "rest-json") return &rest_json_protocol();
  if (family == "rest-xml") return &rest_xml_protocol();
  if (family == "smithy-rpc-v2-cbor") return &cbor_protocol();
  return nullptr;
}

}  // namespace terrarium::protocol
