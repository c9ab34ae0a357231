#pragma once
// The protocol families, one singleton each (see protocol/protocol.hpp).
#include "protocol/protocol.hpp"

namespace terrarium::protocol {

const Protocol& query_protocol();      // protocol/query_protocol.cpp
const Protocol& ec2_protocol();        // protocol/ec2_protocol.cpp
const Protocol& json_protocol();       // protocol/json_protocol.cpp (1.0 and 1.1)
const Protocol& rest_json_protocol();  // protocol/rest_json_protocol.cpp
const Protocol& rest_xml_protocol();   // protocol/rest_xml_protocol.cpp
const Protocol& cbor_protocol();       // protocol/cbor_protocol.cpp (smithy-rpc-v2-cbor)

}  // namespace terrarium::protocol
