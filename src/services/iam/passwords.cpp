#include "services/iam/passwords.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/aws_error.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

namespace {

// AWS's default password policy: 8 characters, three of the four kinds.
constexpr int64_t kDefaultMinimumLength = 8;

AwsError violation(const std::string& message) { return AwsError("PasswordPolicyViolation", message, 400); }

bool has(const std::string& s, int (*test)(int)) {
  return std::any_of(s.begin(), s.end(), [test](char c) { return test(static_cast<unsigned char>(c)) != 0; });
}
int is_symbol(int c) { return std::isprint(c) && !std::isalnum(c) && c != ' '; }

}  // namespace

void check_password_policy(store::Transaction& txn, const Context& ctx, const std::string& password) {
  auto policy = txn.get(ns(ctx, kAccountNs), "password-policy");
  const bool upper = has(password, std::isupper), lower_case = has(password, std::islower),
             digit = has(password, std::isdigit), symbol = has(password, is_symbol);
  if (!policy) {
    if (static_cast<int64_t>(password.size()) < kDefaultMinimumLength ||
        int(upper) + int(lower_case) + int(digit) + int(symbol) < 3)
      throw violation("Password does not conform to the account password policy.");
    return;
  }
  const int64_t min = get_int(*policy, "MinimumPasswordLength").value_or(6);
  if (static_cast<int64_t>(password.size()) < min)
    throw violation("Password should have a minimum length of " + std::to_string(min));
  auto required = [&](std::string_view member) {
    const auto* v = policy->as_object().if_contains(member);
    return v && v->is_bool() && v->get_bool();
  };
  if (required("RequireSymbols") && !symbol) throw violation("Password should have at least one symbol");
  if (required("RequireNumbers") && !digit) throw violation("Password should have at least one number");
  if (required("RequireUppercaseCharacters") && !upper)
    throw violation("Password should have at least one uppercase letter");
  if (required("RequireLowercaseCharacters") && !lower_case)
    throw violation("Password should have at least one lowercase letter");
}

std::string password_digest(const std::string& password, const std::string& salt) {
  const std::string input = salt + password;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

}  // namespace terrarium::services::iam
