// AssumeRoleWithWebIdentity and AssumeRoleWithSAML: credentials for a role in
// exchange for an identity provider's token. Both are called unsigned.
#include <openssl/sha.h>

#include <pugixml.hpp>

#include "core/aws_error.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "services/sts/access.hpp"
#include "services/sts/operations.hpp"
#include "services/sts/sessions.hpp"

namespace terrarium::services::sts {

namespace {

AwsError invalid_token(const std::string& message) {
  return AwsError("InvalidIdentityToken", message);
}

std::optional<std::string> base64url_decode(std::string s) {
  for (char& c : s) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (s.size() % 4) s.push_back('=');
  return base64_decode(s);
}

// The claims of a JWT (header.payload.signature). The signature is not
// checked: Terrarium holds no provider's keys.
Object jwt_claims(const std::string& token) {
  const auto first = token.find('.');
  const auto second = first == std::string::npos ? first : token.find('.', first + 1);
  if (second == std::string::npos) throw invalid_token("Couldn't parse the web identity token.");
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  boost::system::error_code ec;
  Value claims = payload ? boost::json::parse(*payload, ec) : Value();
  if (!payload || ec || !claims.is_object())
    throw invalid_token("Couldn't parse the web identity token.");
  return claims.as_object();
}

std::string claim_string(const Object& claims, std::string_view key) {
  const auto* v = claims.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_array() && !v->get_array().empty() && v->get_array()[0].is_string())
    return std::string(v->get_array()[0].get_string());  // "aud" may be a list
  return "";
}

}  // namespace

Value assume_role_with_web_identity(Context& ctx, const Value& input) {
  const RoleArn role = parse_role_arn(*get_string(input, "RoleArn"));
  const Object claims = jwt_claims(*get_string(input, "WebIdentityToken"));
  if (const auto* exp = claims.if_contains("exp"); exp && exp->is_number()) {
    const double expires = exp->to_number<double>();
    if (expires < now_epoch_seconds())
      throw AwsError("ExpiredTokenException",
                     "Token expired: current date/time " + format_iso8601(now_epoch_seconds()) +
                         " must be before the expiration date/time " + format_iso8601(expires));
  }
  std::string provider = claim_string(claims, "iss");
  if (provider.rfind("https://", 0) == 0) provider = provider.substr(8);
  if (auto given = get_string(input, "ProviderId")) provider = *given;

  const int64_t packed = check_session_policy_and_tags(input);
  // The trust policy names a provider AWS knows by name, or the account's
  // OIDC provider by ARN; its claims are "<provider>:sub" and the like.
  const bool well_known = provider == "accounts.google.com" || provider == "graph.facebook.com" ||
                          provider == "www.amazon.com" || provider == "cognito-identity.amazonaws.com";
  auth::ContextKeys keys;
  keys[provider + ":sub"] = {claim_string(claims, "sub")};
  keys[provider + ":aud"] = {claim_string(claims, "aud")};
  if (const auto* amr = claims.if_contains("amr"); amr && amr->is_array()) {
    std::vector<std::string> values;
    for (const auto& v : amr->as_array())
      if (v.is_string()) values.emplace_back(v.as_string());
    keys[provider + ":amr"] = std::move(values);
  }
  keys["sts:RoleSessionName"] = {*get_string(input, "RoleSessionName")};
  check_federated_trust(ctx, role.arn, "sts:AssumeRoleWithWebIdentity",
                        well_known ? provider : "arn:aws:iam::" + role.account_id + ":oidc-provider/" + provider,
                        std::move(keys));
  Caller session = assumed_role_caller(role, *get_string(input, "RoleSessionName"), input);
  Object out;
  out["Credentials"] = issue_credentials(ctx, session, requested_duration(input, kDefaultRoleSeconds));
  out["SubjectFromWebIdentityToken"] = claim_string(claims, "sub");
  out["AssumedRoleUser"] = assumed_role_user(session);
  if (packed >= 0) out["PackedPolicySize"] = packed;
  out["Provider"] = provider;
  out["Audience"] = claim_string(claims, "aud");
  return out;
}

namespace {

constexpr std::string_view kSessionNameAttribute =
    "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
constexpr std::string_view kNameIdFormatPrefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

// Matches an element by local name, whatever namespace prefix it carries.
pugi::xml_node find_local(pugi::xml_node root, std::string_view local) {
  return root.find_node([&](pugi::xml_node n) {
    std::string_view name = n.name();
    const auto colon = name.find(':');
    return (colon == std::string_view::npos ? name : name.substr(colon + 1)) == local;
  });
}

std::string name_qualifier(const std::string& issuer, const std::string& account,
                           const std::string& provider_name) {
  const std::string text = issuer + account + "/" + provider_name;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace

Value assume_role_with_saml(Context& ctx, const Value& input) {
  const RoleArn role = parse_role_arn(*get_string(input, "RoleArn"));
  const std::string principal_arn = *get_string(input, "PrincipalArn");
  const auto slash = principal_arn.find(":saml-provider/");
  if (slash == std::string::npos)
    throw AwsError("ValidationError", "PrincipalArn must be the ARN of a SAML provider.");
  const std::string provider_name = principal_arn.substr(slash + 15);

  const auto xml = base64_decode(*get_string(input, "SAMLAssertion"));
  pugi::xml_document doc;
  if (!xml || !doc.load_buffer(xml->data(), xml->size()))
    throw invalid_token("Invalid base64 SAMLResponse (Error decoding the SAML assertion).");

  const std::string issuer = find_local(doc, "Issuer").text().as_string();
  const pugi::xml_node name_id = find_local(doc, "NameID");
  const std::string subject = name_id.text().as_string();
  std::string subject_type = name_id.attribute("Format").as_string();
  if (subject_type.rfind(kNameIdFormatPrefix, 0) == 0) subject_type = subject_type.substr(kNameIdFormatPrefix.size());
  const std::string audience = find_local(doc, "Audience").text().as_string();
  if (issuer.empty() || subject.empty())
    throw invalid_token("The SAML assertion is missing its Issuer or Subject NameID.");

  if (const auto conditions = find_local(doc, "Conditions")) {
    if (auto not_after = parse_iso8601(conditions.attribute("NotOnOrAfter").as_string());
        not_after && *not_after < now_epoch_seconds())
      throw AwsError("ExpiredTokenException", "Token expired: the SAML assertion is past NotOnOrAfter.");
  }

  std::string session_name;
  for (pugi::xml_node attr = find_local(doc, "Attribute"); attr; attr = attr.next_sibling(attr.name()))
    if (std::string_view(attr.attribute("Name").as_string()) == kSessionNameAttribute)
      session_name = find_local(attr, "AttributeValue").text().as_string();
  if (session_name.empty()) session_name = subject;

  const int64_t packed = check_session_policy_and_tags(input);
  check_federated_trust(ctx, role.arn, "sts:AssumeRoleWithSAML", principal_arn,
                        {{"saml:aud", {audience}}, {"saml:sub", {subject}}, {"saml:sub_type", {subject_type}},
                         {"saml:iss", {issuer}}, {"sts:RoleSessionName", {session_name}}});
  Caller session = assumed_role_caller(role, session_name, input);
  Object out;
  out["Credentials"] = issue_credentials(ctx, session, requested_duration(input, kDefaultRoleSeconds));
  out["AssumedRoleUser"] = assumed_role_user(session);
  if (packed >= 0) out["PackedPolicySize"] = packed;
  out["Subject"] = subject;
  out["SubjectType"] = subject_type;
  out["Issuer"] = issuer;
  out["Audience"] = audience;
  out["NameQualifier"] = name_qualifier(issuer, role.account_id, provider_name);
  return out;
}

}  // namespace terrarium::services::sts
