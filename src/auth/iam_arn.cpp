#include "auth/iam_arn.hpp"

#include "auth/credentials.hpp"

namespace terrarium::auth {

std::optional<IamArn> parse_iam_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  arn.remove_prefix(kPrefix.size());
  const auto colon = arn.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  IamArn out;
  out.account = std::string(arn.substr(0, colon));
  if (out.account != "aws" && !is_account_id(out.account)) return std::nullopt;
  const std::string_view resource = arn.substr(colon + 1);
  const auto first_slash = resource.find('/');
  const auto last_slash = resource.rfind('/');
  if (first_slash == std::string_view::npos || first_slash == 0 || last_slash + 1 == resource.size())
    return std::nullopt;
  out.type = std::string(resource.substr(0, first_slash));
  out.path = std::string(resource.substr(first_slash, last_slash - first_slash + 1));
  out.name = std::string(resource.substr(last_slash + 1));
  return out;
}

}  // namespace terrarium::auth
