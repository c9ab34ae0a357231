#pragma once
// A minimal blocking HTTP/1.1 client for the `terrarium` command's own calls
// to a running server (status, env). Plain HTTP only.
#include <string>

#include "http/message.hpp"

namespace terrarium::http {

// `endpoint` like "http://127.0.0.1:4566". Throws std::runtime_error when the
// server cannot be reached.
Response simple_request(const std::string& endpoint, const std::string& method,
                        const std::string& target, const std::string& body,
                        const Headers& headers = {});

}  // namespace terrarium::http
