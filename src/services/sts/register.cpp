#include "services/registry.hpp"
#include "services/sts/operations.hpp"

namespace terrarium::services {

void register_sts(Registry& r) {
  using namespace sts;
  const OperationTraits anonymous{.anonymous = true};
  r.add("sts", "AssumeRole", assume_role);
  r.add("sts", "AssumeRoot", assume_root);
  r.add("sts", "AssumeRoleWithWebIdentity", assume_role_with_web_identity, anonymous);
  r.add("sts", "AssumeRoleWithSAML", assume_role_with_saml, anonymous);
  r.add("sts", "GetSessionToken", get_session_token);
  r.add("sts", "GetFederationToken", get_federation_token);
  r.add("sts", "GetCallerIdentity", get_caller_identity);
  r.add("sts", "GetAccessKeyInfo", get_access_key_info);
  r.add("sts", "DecodeAuthorizationMessage", decode_authorization_message);
  r.add("sts", "GetDelegatedAccessToken", get_delegated_access_token);
  r.add("sts", "GetWebIdentityToken", get_web_identity_token);
}

}  // namespace terrarium::services
