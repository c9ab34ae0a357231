#pragma once
// MFA devices as other IAM operations see them.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/context.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// The six-digit TOTP code of `key` (raw bytes) at 30-second step `step`.
std::string totp_code(std::string_view key, int64_t step);
// MFA devices assigned to the user (lower-cased name).
int64_t mfa_devices_of(store::Transaction& txn, const Context& ctx, const std::string& user_key);
// Moves a renamed user's devices to its new (lower-cased) name.
void rename_mfa_owner(store::Transaction& txn, const Context& ctx, const std::string& old_key,
                      const std::string& new_key);
// {devices, devices in use} in the account.
std::pair<int64_t, int64_t> mfa_device_counts(store::Transaction& txn, const Context& ctx);

}  // namespace terrarium::services::iam
