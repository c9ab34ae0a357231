#include "cli/env_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <tuple>
#include <vector>

#include "cli/aws_client.hpp"
#include "cli/aws_config_file.hpp"
#include "core/ascii.hpp"

namespace terrarium::cli {

namespace {

namespace json = boost::json;

constexpr std::string_view kOrganizationsTarget = "AWSOrganizationsV20161128";
constexpr std::string_view kStsVersion = "2011-06-15";
constexpr std::string_view kIamVersion = "2010-05-08";
// The role AWS creates in every account CreateAccount makes, trusting the
// management account; the documented way in for the management account.
constexpr std::string_view kAccessRole = "OrganizationAccountAccessRole";
constexpr std::string_view kEnvUser = "terrarium-env";
constexpr std::string_view kAdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
constexpr std::string_view kNewestKeyTag = "terrarium:newest-access-key";
constexpr std::string_view kEmailDomain = "terrarium.local";
constexpr auto kCreateTimeout = std::chrono::seconds(120);

// A failure to report as is (no AWS error code to show).
class EnvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Account {
  std::string id;
  std::string name;
  std::string email;
  std::string status;
};

std::string env_or(const std::string& given, const char* var, const std::string& fallback) {
  if (!given.empty()) return given;
  if (const char* v = std::getenv(var); v && *v) return v;
  return fallback;
}

std::string string_field(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::object object_field(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v && v->is_object() ? v->as_object() : json::object();
}

// Organizations and IAM are global services whose API lives in us-east-1:
// SDKs sign them for that region whatever region the profile names.
struct Clients {
  AwsClient organizations;
  AwsClient sts;
};

json::object org_call(const AwsClient& client, std::string_view operation, const json::object& input = {}) {
  return client.json_call("organizations", kOrganizationsTarget, operation, input);
}

bool is_not_in_use(const AwsCallError& e) { return e.code() == "AWSOrganizationsNotInUseException"; }

// The organization's description, or nullopt when the server has none.
std::optional<json::object> describe_organization(const AwsClient& org) {
  try {
    return object_field(org_call(org, "DescribeOrganization"), "Organization");
  } catch (const AwsCallError& e) {
    if (is_not_in_use(e)) return std::nullopt;
    throw;
  }
}

json::object ensure_organization(const AwsClient& org) {
  if (auto existing = describe_organization(org)) return *existing;
  std::cerr << "Creating the organization (feature set ALL)\n";
  try {
    return object_field(org_call(org, "CreateOrganization", {{"FeatureSet", "ALL"}}), "Organization");
  } catch (const AwsCallError& e) {
    // Another `terrarium env create` won the race.
    if (e.code() != "AlreadyInOrganizationException") throw;
    return object_field(org_call(org, "DescribeOrganization"), "Organization");
  }
}

std::vector<Account> list_accounts(const AwsClient& org) {
  std::vector<Account> accounts;
  std::string token;
  do {
    json::object input;
    if (!token.empty()) input["NextToken"] = token;
    const auto page = org_call(org, "ListAccounts", input);
    if (const auto* list = page.if_contains("Accounts"); list && list->is_array()) {
      for (const auto& item : list->as_array()) {
        if (!item.is_object()) continue;
        const auto& a = item.as_object();
        // Newer models report `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE,
        // CLOSED, ...) beside the deprecated `Status`.
        std::string status = string_field(a, "State");
        if (status.empty()) status = string_field(a, "Status");
        accounts.push_back({string_field(a, "Id"), string_field(a, "Name"), string_field(a, "Email"), status});
      }
    }
    const std::string next = string_field(page, "NextToken");
    if (!next.empty() && next == token) throw EnvError("ListAccounts returned the same NextToken twice");
    token = next;
  } while (!token.empty());
  return accounts;
}

// The environment called `name`: its active account when it has one, else
// the most recent other account of that name (closed, suspended).
std::optional<Account> find_account(const std::vector<Account>& accounts, const std::string& name) {
  std::optional<Account> found;
  for (const auto& a : accounts) {
    if (a.name != name) continue;
    if (a.status == "ACTIVE") return a;
    found = a;
  }
  return found;
}

// AWS wants a unique e-mail address per account; ours are made up from the
// name, and a closed account keeps its address, so a name used again gets
// <name>+2@, <name>+3@, ...
std::string email_local_part(const std::string& name) {
  std::string out;
  for (char c : name) {
    const char lower = ascii_lower(c);
    const bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '.' ||
                    lower == '_' || lower == '-';
    out.push_back(ok ? lower : '-');
  }
  return out.empty() ? std::string("env") : out;
}

std::string email_for(const std::string& name, int attempt) {
  std::string local = email_local_part(name);
  if (attempt > 1) local += "+" + std::to_string(attempt);
  return local + "@" + std::string(kEmailDomain);
}

int first_free_email_attempt(const std::vector<Account>& accounts, const std::string& name) {
  int attempt = 1;
  auto taken = [&](const std::string& email) {
    return std::any_of(accounts.begin(), accounts.end(), [&](const Account& a) { return ascii_lower(a.email) == email; });
  };
  while (taken(email_for(name, attempt))) ++attempt;
  return attempt;
}

// Waits for a CreateAccount request; returns the account id, or throws with
// AWS's FailureReason. `status` is CreateAccount's CreateAccountStatus.
std::string wait_for_account(const AwsClient& org, json::object status, std::string& failure_reason) {
  const auto deadline = std::chrono::steady_clock::now() + kCreateTimeout;
  auto pause = std::chrono::milliseconds(50);
  while (true) {
    const std::string state = string_field(status, "State");
    if (state == "SUCCEEDED") return string_field(status, "AccountId");
    if (state == "FAILED") {
      failure_reason = string_field(status, "FailureReason");
      return {};
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw EnvError("account creation did not finish within " + std::to_string(kCreateTimeout.count()) +
                     " s (request " + string_field(status, "Id") + ", state " + state + ")");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    status = object_field(
        org_call(org, "DescribeCreateAccountStatus", {{"CreateAccountRequestId", string_field(status, "Id")}}),
        "CreateAccountStatus");
  }
}

// The environment's account, created when missing. Returns it and whether it is new.
std::pair<Account, bool> find_or_create_account(const AwsClient& org, const std::string& name) {
  const auto accounts = list_accounts(org);
  if (auto existing = find_account(accounts, name); existing && existing->status == "ACTIVE")
    return {*existing, false};
  int attempt = first_free_email_attempt(accounts, name);
  for (int tries = 0; tries < 5; ++tries, ++attempt) {
    const std::string email = email_for(name, attempt);
    std::cerr << "Creating account " << name << " <" << email << ">\n";
    const auto created = org_call(org, "CreateAccount",
                                  {{"AccountName", name}, {"Email", email}, {"RoleName", kAccessRole}});
    std::string failure;
    const std::string id = wait_for_account(org, object_field(created, "CreateAccountStatus"), failure);
    if (!id.empty()) return {Account{id, name, email, "ACTIVE"}, true};
    // A closed or removed account may still own the address.
    if (failure == "EMAIL_ALREADY_EXISTS") continue;
    throw EnvError("creating account " + name + " failed: " + (failure.empty() ? "no reason given" : failure));
  }
  throw EnvError("creating account " + name + " failed: every e-mail address tried is taken");
}

auth::Credentials credentials_from(pugi::xml_node node) {
  return {element_text(node, "AccessKeyId"), element_text(node, "SecretAccessKey"),
          element_text(node, "SessionToken")};
}

// Temporary credentials in the environment's account, through the role
// Organizations put there for its management account.
auth::Credentials assume_access_role(const AwsClient& sts, const std::string& account_id) {
  const std::string role = "arn:aws:iam::" + account_id + ":role/" + std::string(kAccessRole);
  const auto doc = sts.query_call("sts", kStsVersion, "AssumeRole",
                                  {{"RoleArn", role}, {"RoleSessionName", std::string(kEnvUser)}});
  auto creds = credentials_from(find_element(*doc, "Credentials"));
  if (creds.access_key_id.empty() || creds.secret_key.empty())
    throw EnvError("AssumeRole into " + role + " returned no credentials");
  return creds;
}

std::unique_ptr<pugi::xml_document> iam_call(const AwsClient& iam, std::string_view action,
                                             const QueryParams& params = {}) {
  return iam.query_call("iam", kIamVersion, action, params);
}

// The long-term keys of the environment's administrator user, made with
// the account's own IAM: user terrarium-env with AdministratorAccess and a
// new access key. A user holds at most two keys, so the older one goes
// first. CreateDate has whole seconds only, so a user tag names the newest
// key this command made, which settles ties.
auth::Credentials create_admin_key(const AwsClient& iam) {
  const std::string user(kEnvUser);
  std::string newest_key;
  try {
    const auto doc = iam_call(iam, "GetUser", {{"UserName", user}});
    for (auto m : find_element(*doc, "Tags").children("member"))
      if (element_text(m, "Key") == kNewestKeyTag) newest_key = element_text(m, "Value");
  } catch (const AwsCallError& e) {
    if (e.code() != "NoSuchEntity") throw;
    iam_call(iam, "CreateUser", {{"UserName", user}});
  }
  bool attached = false;
  std::string marker;
  do {
    QueryParams params{{"UserName", user}};
    if (!marker.empty()) params.emplace_back("Marker", marker);
    const auto doc = iam_call(iam, "ListAttachedUserPolicies", params);
    for (auto m : find_element(*doc, "AttachedPolicies").children("member"))
      attached = attached || element_text(m, "PolicyArn") == kAdministratorAccess;
    marker = element_text(*doc, "IsTruncated") == "true" ? element_text(*doc, "Marker") : "";
  } while (!marker.empty() && !attached);
  if (!attached) iam_call(iam, "AttachUserPolicy", {{"UserName", user}, {"PolicyArn", std::string(kAdministratorAccess)}});

  const auto keys = iam_call(iam, "ListAccessKeys", {{"UserName", user}});
  // (is the newest, CreateDate, AccessKeyId): the smallest is the one to drop.
  std::vector<std::tuple<bool, std::string, std::string>> existing;
  for (auto m : find_element(*keys, "AccessKeyMetadata").children("member")) {
    const std::string id = element_text(m, "AccessKeyId");
    existing.emplace_back(id == newest_key, element_text(m, "CreateDate"), id);
  }
  if (existing.size() >= 2) {
    // ISO 8601 dates of one format sort as strings.
    const auto oldest = std::min_element(existing.begin(), existing.end());
    iam_call(iam, "DeleteAccessKey", {{"UserName", user}, {"AccessKeyId", std::get<2>(*oldest)}});
  }
  const auto created = iam_call(iam, "CreateAccessKey", {{"UserName", user}});
  auto creds = credentials_from(find_element(*created, "AccessKey"));
  creds.session_token.clear();
  if (creds.access_key_id.empty() || creds.secret_key.empty())
    throw EnvError("CreateAccessKey returned no key");
  iam_call(iam, "TagUser",
           {{"UserName", user}, {"Tags.member.1.Key", std::string(kNewestKeyTag)},
            {"Tags.member.1.Value", creds.access_key_id}});
  return creds;
}

struct ProfileFiles {
  std::string credentials;
  std::string config;
};

ProfileFiles write_profile(const std::string& profile, const auth::Credentials& creds, const EnvOptions& options) {
  ProfileFiles files{credentials_file_path(), config_file_path()};
  write_private_file(files.credentials,
                     replace_ini_section(read_text_file(files.credentials), credentials_section(profile),
                                         {{"aws_access_key_id", creds.access_key_id},
                                          {"aws_secret_access_key", creds.secret_key}}));
  write_private_file(files.config,
                     replace_ini_section(read_text_file(files.config), config_section(profile),
                                         {{"region", options.region},
                                          {"endpoint_url", options.endpoint},
                                          {"output", "json"}}));
  return files;
}

// Removes the profile from both files; says which ones had it.
std::vector<std::string> delete_profile(const std::string& profile) {
  std::vector<std::string> changed;
  const std::pair<std::string, std::string> targets[] = {
      {credentials_file_path(), credentials_section(profile)},
      {config_file_path(), config_section(profile)}};
  for (const auto& [path, section] : targets) {
    const std::string before = read_text_file(path);
    const std::string after = remove_ini_section(before, section);
    if (after == before) continue;
    write_private_file(path, after);
    changed.push_back(path);
  }
  return changed;
}

void check_profile_name(const std::string& profile) {
  if (profile.empty() || profile.find_first_of("[]\r\n") != std::string::npos ||
      profile.front() == ' ' || profile.back() == ' ')
    throw EnvError("invalid profile name \"" + profile + "\"");
}

void check_env_name(const std::string& name) {
  if (name.empty()) throw EnvError("an environment name is required");
  if (name.size() > 50) throw EnvError("an environment name has at most 50 characters (AWS's account name limit)");
  for (char c : name)
    if (c < 0x20 || c > 0x7e) throw EnvError("an environment name is printable ASCII (AWS's account name rule)");
}

Clients make_clients(const EnvOptions& options) {
  auth::Credentials creds{options.access_key, options.secret_key, options.session_token};
  return {AwsClient(options.endpoint, creds, "us-east-1"), AwsClient(options.endpoint, creds, options.region)};
}

std::string profile_name(const EnvOptions& options) {
  return options.profile.empty() ? options.name : options.profile;
}

int create_env(const EnvOptions& options) {
  check_env_name(options.name);
  if (options.write_profile) check_profile_name(profile_name(options));
  const auto clients = make_clients(options);
  const auto organization = ensure_organization(clients.organizations);
  const std::string management = string_field(organization, "MasterAccountId");
  const auto [account, is_new] = find_or_create_account(clients.organizations, options.name);
  if (account.id.empty()) throw EnvError("the server named no account id for " + options.name);

  // The management account needs no role to reach itself.
  const AwsClient iam = account.id == management
                            ? clients.organizations
                            : clients.organizations.with_credentials(assume_access_role(clients.sts, account.id));
  const auto keys = create_admin_key(iam);

  std::optional<ProfileFiles> files;
  if (options.write_profile) files = write_profile(profile_name(options), keys, options);

  if (options.output == "json") {
    json::object out{{"Name", options.name},           {"AccountId", account.id},
                     {"AccessKeyId", keys.access_key_id}, {"SecretAccessKey", keys.secret_key},
                     {"Endpoint", options.endpoint},   {"Region", options.region}};
    if (files) out["Profile"] = profile_name(options);
    std::cout << json::serialize(out) << "\n";
    return 0;
  }
  std::cout << "Environment " << options.name << (is_new ? " (created)" : "") << "\n"
            << "  account id          " << account.id << "\n"
            << "  access key id       " << keys.access_key_id << "\n"
            << "  secret access key   " << keys.secret_key << "\n"
            << "  endpoint            " << options.endpoint << "\n"
            << "  region              " << options.region << "\n";
  if (files)
    std::cout << "\nProfile " << profile_name(options) << " written to " << files->credentials << " and "
              << files->config << ".\nTry: aws --profile " << profile_name(options)
              << " sts get-caller-identity\n";
  return 0;
}

int list_envs(const EnvOptions& options) {
  const auto clients = make_clients(options);
  std::vector<Account> accounts;
  if (describe_organization(clients.organizations)) accounts = list_accounts(clients.organizations);
  if (options.output == "json") {
    json::array out;
    for (const auto& a : accounts)
      out.push_back(json::object{{"Name", a.name}, {"AccountId", a.id}, {"Status", a.status}, {"Email", a.email}});
    std::cout << json::serialize(out) << "\n";
    return 0;
  }
  size_t width = 4;
  for (const auto& a : accounts) width = std::max(width, a.name.size());
  auto pad = [](const std::string& s, size_t w) { return s + std::string(w > s.size() ? w - s.size() : 0, ' '); };
  std::cout << pad("NAME", width) << "  " << pad("ACCOUNT_ID", 12) << "  STATUS\n";
  for (const auto& a : accounts) std::cout << pad(a.name, width) << "  " << pad(a.id, 12) << "  " << a.status << "\n";
  return 0;
}

int remove_env(const EnvOptions& options) {
  check_env_name(options.name);
  if (options.write_profile) check_profile_name(profile_name(options));
  const auto clients = make_clients(options);
  const auto organization = describe_organization(clients.organizations);
  const auto account =
      organization ? find_account(list_accounts(clients.organizations), options.name) : std::nullopt;
  if (!account) {
    std::cerr << "terrarium env: no environment named \"" << options.name << "\" in the organization at "
              << options.endpoint << "\n";
    return 1;
  }
  if (account->id == string_field(*organization, "MasterAccountId"))
    throw EnvError("\"" + options.name + "\" is the organization's management account (" + account->id +
                   "); it cannot be removed");
  if (account->status == "ACTIVE") {
    try {
      org_call(clients.organizations, "CloseAccount", {{"AccountId", account->id}});
      std::cout << "Closed environment " << options.name << " (" << account->id << ")\n";
    } catch (const AwsCallError& e) {
      // A server without CloseAccount can still take the account out.
      if (e.code() != "NotImplemented" && e.code() != "UnsupportedAPIEndpointException") throw;
      org_call(clients.organizations, "RemoveAccountFromOrganization", {{"AccountId", account->id}});
      std::cout << "Removed environment " << options.name << " (" << account->id << ") from the organization\n";
    }
  } else {
    std::cout << "Environment " << options.name << " (" << account->id << ") is already "
              << account->status << "\n";
  }
  if (options.write_profile) {
    const auto changed = delete_profile(profile_name(options));
    for (const auto& path : changed) std::cout << "Removed profile " << profile_name(options) << " from " << path << "\n";
  }
  return 0;
}

void add_connection_options(CLI::App* cmd, EnvOptions& o) {
  cmd->add_option("--endpoint", o.endpoint, "The server's URL")->capture_default_str();
  cmd->add_option("--access-key", o.access_key,
                  "Management account's access key id (default: $AWS_ACCESS_KEY_ID, else \"test\")");
  cmd->add_option("--secret-key", o.secret_key,
                  "Management account's secret key (default: $AWS_SECRET_ACCESS_KEY, else \"test\")");
  cmd->add_option("--session-token", o.session_token, "Session token (default: $AWS_SESSION_TOKEN)");
  cmd->add_option("--region", o.region,
                  "Region for the profile and STS (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1)");
  cmd->add_option("--output", o.output, "text or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
}

}  // namespace

EnvCommand::EnvCommand(CLI::App& app) {
  env_ = app.add_subcommand("env", "Create, list and remove environments (accounts of the organization)");
  env_->require_subcommand(1);

  create_ = env_->add_subcommand("create", "Create an environment (idempotent) and print its credentials");
  create_->add_option("name", options_.name, "Environment (account) name");
  create_profile_ = create_->add_option("--profile", options_.profile,
                                        "Write an AWS CLI profile (default name: the environment's)")
                        ->expected(0, 1);
  add_connection_options(create_, options_);

  list_ = env_->add_subcommand("list", "List the environments");
  add_connection_options(list_, options_);

  remove_ = env_->add_subcommand("remove", "Close an environment's account");
  remove_->add_option("name", options_.name, "Environment (account) name");
  remove_profile_ = remove_->add_option("--profile", options_.profile,
                                        "Also delete this AWS CLI profile (default name: the environment's)")
                        ->expected(0, 1);
  add_connection_options(remove_, options_);
}

bool EnvCommand::selected() const { return env_ && env_->parsed(); }

int EnvCommand::run() {
  EnvOptions o = options_;
  o.access_key = env_or(o.access_key, "AWS_ACCESS_KEY_ID", "test");
  o.secret_key = env_or(o.secret_key, "AWS_SECRET_ACCESS_KEY", "test");
  // A session token belongs to the key it came with.
  if (o.session_token.empty() && options_.access_key.empty()) o.session_token = env_or("", "AWS_SESSION_TOKEN", "");
  o.region = env_or(o.region, "AWS_REGION", env_or("", "AWS_DEFAULT_REGION", "us-east-1"));
  while (!o.endpoint.empty() && o.endpoint.back() == '/') o.endpoint.pop_back();
  const CLI::Option* profile_opt = *create_ ? create_profile_ : *remove_ ? remove_profile_ : nullptr;
  o.write_profile = profile_opt && profile_opt->count() > 0;
  // `env create --profile prod` reads as "environment prod, profile prod".
  if (o.name.empty() && o.write_profile) o.name = o.profile;
  try {
    if (*create_) return create_env(o);
    if (*list_) return list_envs(o);
    if (*remove_) return remove_env(o);
    return 1;
  } catch (const AwsCallError& e) {
    std::cerr << "terrarium env: " << e.code() << ": " << e.message() << "\n";
  } catch (const UnreachableError& e) {
    std::cerr << "terrarium is not reachable at " << o.endpoint << ": " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "terrarium env: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace terrarium::cli
