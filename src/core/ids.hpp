#pragma once
// Random identifiers in the forms AWS uses.
#include <string>

namespace terrarium {

// A UUID v4 string, as AWS request ids are.
std::string new_request_id();
// `prefix` followed by `length` characters of [A-Z2-7] (access key ids, unique ids).
std::string new_base32_id(const std::string& prefix, size_t length);
// `length` characters of [A-Za-z0-9+/] (secret keys).
std::string new_secret(size_t length);
// `length` random bytes.
std::string random_bytes(size_t length);

}  // namespace terrarium
