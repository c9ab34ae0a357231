#include "services/registry.hpp"
#include "services/sts/access.hpp"
#include "services/sts/operations.hpp"

namespace terrarium::services {

void register_sts(Registry& r) {
  using namespace sts;
  const OperationTraits anonymous{.anonymous = true};
  r.add("sts", "AssumeRole", assume_role, Access::on(describe_assume_role));
  r.add("sts", "AssumeRoot", assume_root, Access::on(describe_assume_root));
  // The web identity and SAML flows are unsigned: the role's trust policy
  // decides, in the handler, as it names the identity provider.
  r.add("sts", "AssumeRoleWithWebIdentity", assume_role_with_web_identity, Access::not_required(), anonymous);
  r.add("sts", "AssumeRoleWithSAML", assume_role_with_saml, Access::not_required(), anonymous);
  // AWS lets no policy control these two: they only restate who the caller is.
  r.add("sts", "GetSessionToken", get_session_token, Access::not_required());
  r.add("sts", "GetCallerIdentity", get_caller_identity, Access::not_required());
  r.add("sts", "GetFederationToken", get_federation_token, Access::on(describe_federation_token));
  r.add("sts", "GetAccessKeyInfo", get_access_key_info, Access::any_resource());
  r.add("sts", "DecodeAuthorizationMessage", decode_authorization_message, Access::any_resource());
  r.add("sts", "GetDelegatedAccessToken", get_delegated_access_token, Access::any_resource());
  r.add("sts", "GetWebIdentityToken", get_web_identity_token, Access::any_resource());
}

}  // namespace terrarium::services
