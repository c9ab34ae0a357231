// Accounts of an organization: creating them (with the role the management
// account administers them through), describing, listing, moving, closing,
// removing, leaving.
#include <algorithm>

#include "core/ascii.hpp"
#include "core/ids.hpp"
#include "services/iam/organization_role.hpp"
#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

constexpr std::string_view kDefaultRoleName = "OrganizationAccountAccessRole";

std::string new_account_id(store::Transaction& txn) {
  for (;;) {
    std::string id;
    for (unsigned char b : random_bytes(12)) id += static_cast<char>('0' + b % 10);
    if (id[0] == '0') id[0] = '1';  // never the default account 000000000000
    if (!txn.get(kMembersNs, id)) return id;
  }
}

bool email_taken(store::Transaction& txn, const std::string& email) {
  for (auto& [id, org_doc] : txn.list(kOrgsNs))
    for (auto& [key, doc] : txn.list(ns(id, kAccounts)))
      if (iequals(doc.at("Email").as_string(), email)) return true;
  return false;
}

// What leaving the organization removes: the account's place, its policies,
// its tags. A delegated administrator must be deregistered first.
void remove_account(store::Transaction& txn, const Org& org, const std::string& account) {
  for (auto& d : all_docs(txn, org, kDelegated))
    if (d.at("account").as_string() == account)
      throw constraint("CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
                       "You can't remove an account that is a delegated administrator for an AWS service. "
                       "Deregister it first.");
  detach_all(txn, org, account);
  set_tags(txn, org, account, Array{});
  txn.erase(ns(org.id, kAccounts), account);
  remove_member(txn, account);
}

Object status_view(const Object& doc) {
  Object out;
  for (std::string_view m : {"Id", "AccountName", "State", "RequestedTimestamp", "CompletedTimestamp", "AccountId",
                             "FailureReason"})
    if (const auto* v = doc.if_contains(m)) out[m] = *v;
  return out;
}

}  // namespace

Value create_account(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string email = required(input, "Email");
  const std::string name = required(input, "AccountName");
  const std::string role = get_string(input, "RoleName").value_or(std::string(kDefaultRoleName));
  Array tags;
  if (const auto* t = input.as_object().if_contains("Tags")) merge_tags(tags, *t);

  const double requested = now();
  const std::string request_id = "car-" + random_id(32);
  Object status{{"Id", request_id}, {"AccountName", name}, {"RequestedTimestamp", requested}};
  // AWS answers IN_PROGRESS and finishes (or fails) asynchronously: here the
  // account exists before the answer, and the status shows how it ended.
  if (email_taken(txn, email)) {
    status["State"] = "FAILED";
    status["FailureReason"] = "EMAIL_ALREADY_EXISTS";
    status["CompletedTimestamp"] = requested;
  } else {
    const std::string account = new_account_id(txn);
    put_doc(txn, org, kAccounts, account,
            Object{{"Id", account},
                   {"Arn", account_arn(org, account)},
                   {"Email", email},
                   {"Name", name},
                   {"Status", "ACTIVE"},
                   {"State", "ACTIVE"},
                   {"JoinedMethod", "CREATED"},
                   {"JoinedTimestamp", requested},
                   {"parent", org.root_id}});
    add_member(txn, account, org.id);
    attach_defaults(txn, org, account);
    set_tags(txn, org, account, tags);
    iam::create_organization_access_role(txn, account, role, org.management);
    status["State"] = "SUCCEEDED";
    status["AccountId"] = account;
    status["CompletedTimestamp"] = requested;
  }
  put_doc(txn, org, kCreateStatus, request_id, status);
  Object answer{{"Id", request_id}, {"AccountName", name}, {"State", "IN_PROGRESS"}, {"RequestedTimestamp", requested}};
  return Object{{"CreateAccountStatus", answer}};
}

Value describe_create_account_status(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  auto doc = get_doc(txn, org, kCreateStatus, required(input, "CreateAccountRequestId"));
  if (!doc)
    throw error("CreateAccountStatusNotFoundException",
                "We can't find an create account request with the CreateAccountRequestId that you specified.");
  return Object{{"CreateAccountStatus", status_view(*doc)}};
}

Value list_create_account_status(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const auto* states = input.as_object().if_contains("States");
  std::vector<KeyedItem> items;
  for (auto& doc : all_docs(txn, org, kCreateStatus)) {
    if (states && states->is_array() && !states->as_array().empty() &&
        std::find(states->as_array().begin(), states->as_array().end(), doc.at("State")) == states->as_array().end())
      continue;
    items.emplace_back(std::string(doc.at("Id").as_string()), status_view(doc));
  }
  return paged(input, std::move(items), "CreateAccountStatuses");
}

Value describe_account(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  return Object{{"Account", account_view(load_account(txn, org, required(input, "AccountId")))}};
}

Value list_accounts(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  std::vector<KeyedItem> items;
  for (auto& doc : all_docs(txn, org, kAccounts))
    items.emplace_back(std::string(doc.at("Id").as_string()), account_view(doc));
  return paged(input, std::move(items), "Accounts");
}

Value list_accounts_for_parent(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string parent = required(input, "ParentId");
  if (!find_parent(txn, org, parent)) throw parent_not_found();
  std::vector<KeyedItem> items;
  for (auto& doc : all_docs(txn, org, kAccounts))
    if (doc.at("parent").as_string() == parent)
      items.emplace_back(std::string(doc.at("Id").as_string()), account_view(doc));
  return paged(input, std::move(items), "Accounts");
}

Value close_account(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string account = required(input, "AccountId");
  Object doc = load_account(txn, org, account);
  if (account == org.management)
    throw constraint("CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
                     "You can't close the management account with this operation.");
  if (doc.at("Status").as_string() != "ACTIVE")
    throw error("AccountAlreadyClosedException", "You attempted to close an account that is already closed.");
  // AWS passes through PENDING_CLOSURE within seconds; the account stays in
  // the organization, suspended, until AWS removes it after 90 days.
  doc["Status"] = "SUSPENDED";
  doc["State"] = "SUSPENDED";
  doc["closed"] = now();
  put_doc(txn, org, kAccounts, account, doc);
  return Object{};
}

Value remove_account_from_organization(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string account = required(input, "AccountId");
  load_account(txn, org, account);
  if (account == org.management)
    throw error("MasterCannotLeaveOrganizationException",
                "You can't remove a management account from an organization. If you want the management account "
                "to become a member account in another organization, you must first delete the current "
                "organization of the management account.");
  remove_account(txn, org, account);
  return Object{};
}

Value leave_organization(Context& ctx, const Value&) {
  auto& txn = ctx.txn();
  Org org = require_org(txn, ctx);
  if (ctx.caller.account_id == org.management)
    throw constraint("ACCOUNT_CANNOT_LEAVE_ORGANIZATION",
                     "You can't remove the management account from an organization. Remove all member accounts, "
                     "then delete the organization.");
  remove_account(txn, org, ctx.caller.account_id);
  return Object{};
}

Value move_account(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string account = required(input, "AccountId");
  const std::string source = required(input, "SourceParentId");
  const std::string destination = required(input, "DestinationParentId");
  Object doc = load_account(txn, org, account);
  if (!find_parent(txn, org, source) || doc.at("parent").as_string() != source)
    throw error("SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified.");
  if (!find_parent(txn, org, destination))
    throw error("DestinationParentNotFoundException",
                "We can't find the destination container (a root or OU) with the ParentId that you specified.");
  if (source == destination)
    throw error("DuplicateAccountException", "That account is already present in the specified destination.");
  doc["parent"] = destination;
  put_doc(txn, org, kAccounts, account, doc);
  return Object{};
}

}  // namespace terrarium::services::organizations
