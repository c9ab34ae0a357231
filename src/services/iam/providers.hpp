#pragma once
// Identity providers' ARNs, shared by their operations and access.cpp.
#include <string>
#include <string_view>

#include "core/context.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// arn:aws:iam::<account>:oidc-provider/<url without https:// and trailing />
std::string oidc_provider_arn(const Context& ctx, std::string_view url);

// OIDC and SAML providers in the account (GetAccountSummary's Providers).
int64_t provider_count(store::Transaction& txn, const Context& ctx);

}  // namespace terrarium::services::iam
