// Handshakes: invitations to join an organization, and the approvals that
// move an organization from consolidated billing to all features.
#include <algorithm>

#include "core/ascii.hpp"
#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

constexpr double kInviteLifetime = 15 * 24 * 3600;    // AWS: invitations expire after 15 days
constexpr double kApprovalLifetime = 90 * 24 * 3600;  // and feature-set approvals after 90

AwsError handshake_not_found() {
  return error("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.");
}

// The state a handshake shows now: an open one expires in time.
std::string state_of(const Object& h) {
  const std::string state(h.at("State").as_string());
  if (state == "OPEN" && now() > h.at("ExpirationTimestamp").to_number<double>()) return "EXPIRED";
  return state;
}

Object view(const Object& h) {
  Object out;
  for (std::string_view m : {"Id", "Arn", "Parties", "State", "RequestedTimestamp", "ExpirationTimestamp", "Action",
                             "Resources"})
    if (const auto* v = h.if_contains(m)) out[m] = *v;
  out["State"] = state_of(h);
  return out;
}

// The account party (invitee or approver), or "" when the party is an email.
std::string account_party(const Object& h) {
  for (const auto& p : h.at("Parties").as_array())
    if (p.at("Type").as_string() == "ACCOUNT") return std::string(p.at("Id").as_string());
  return {};
}

Object new_handshake(const Org& org, std::string_view action, Array parties, Array resources, double lifetime) {
  const std::string id = "h-" + random_id(10);
  const double requested = now();
  return Object{{"Id", id},
                {"Arn", arn(org, "handshake", ascii_lower(action) + "/" + id)},
                {"Parties", std::move(parties)},
                {"State", "OPEN"},
                {"RequestedTimestamp", requested},
                {"ExpirationTimestamp", requested + lifetime},
                {"Action", action},
                {"Resources", std::move(resources)},
                {"organization", org.id}};
}

Object load_handshake(store::Transaction& txn, const std::string& id) {
  auto doc = txn.get(kHandshakesNs, id);
  if (!doc) throw handshake_not_found();
  return std::move(doc->as_object());
}

void save(store::Transaction& txn, const Object& h) { txn.put(kHandshakesNs, h.at("Id").as_string(), h); }

// The handshake must be open to move to `target`.
void check_transition(const Object& h, std::string_view target) {
  const std::string state = state_of(h);
  if (state == target)
    throw error("HandshakeAlreadyInStateException", "The specified handshake is already in the requested state.");
  if (state != "OPEN")
    throw error("InvalidHandshakeTransitionException",
                "You can't perform the operation on the handshake in its current state.");
}

bool is_originator(store::Transaction& txn, const Context& ctx, const Object& h) {
  auto org = find_org_of(txn, ctx.caller.account_id);
  return org && org->id == h.at("organization").as_string() && org->management == ctx.caller.account_id;
}

bool matches_filter(const Value& input, const Object& h) {
  const auto* filter = input.as_object().if_contains("Filter");
  if (!filter || !filter->is_object()) return true;
  if (auto action = get_string(*filter, "ActionType"); action && h.at("Action").as_string() != *action) return false;
  if (auto parent = get_string(*filter, "ParentHandshakeId")) {
    const auto* p = h.if_contains("parent");
    if (!p || p->as_string() != *parent) return false;
  }
  return true;
}

Object org_resource(const Org& org, const Object& management) {
  return Object{{"Type", "ORGANIZATION"},
                {"Value", org.id},
                {"Resources", Array{Object{{"Type", "MASTER_EMAIL"}, {"Value", org.doc.at("MasterAccountEmail")}},
                                    Object{{"Type", "MASTER_NAME"}, {"Value", management.at("Name")}},
                                    Object{{"Type", "ORGANIZATION_FEATURE_SET"}, {"Value", org.doc.at("FeatureSet")}}}}};
}

void join(store::Transaction& txn, const Org& org, const std::string& account, const Object& h) {
  std::string email = "account+" + account + "@example.com";
  for (const auto& r : h.at("Resources").as_array())
    if (r.at("Type").as_string() == "EMAIL") email = std::string(r.at("Value").as_string());
  put_doc(txn, org, kAccounts, account,
          Object{{"Id", account},
                 {"Arn", account_arn(org, account)},
                 {"Email", email},
                 {"Name", account},
                 {"Status", "ACTIVE"},
                 {"State", "ACTIVE"},
                 {"JoinedMethod", "INVITED"},
                 {"JoinedTimestamp", now()},
                 {"parent", org.root_id}});
  add_member(txn, account, org.id);
  attach_defaults(txn, org, account);
  if (const auto* tags = h.if_contains("tags")) set_tags(txn, org, account, tags->as_array());
}

}  // namespace

Value invite_account_to_organization(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const Value& target = input.at("Target");
  const std::string type = required(target, "Type");
  const std::string id = required(target, "Id");
  if (type != "ACCOUNT" && type != "EMAIL")
    throw invalid_input("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the handshake's target.");
  if (type == "ACCOUNT") {
    if (auto other = find_org_of(txn, id); other && other->id == org.id)
      throw std::move(error("HandshakeConstraintViolationException", "The account is already a member of this organization.")
                          .with_field("Reason", "ALREADY_IN_AN_ORGANIZATION"));
  }
  for (auto& [key, doc] : txn.list(kHandshakesNs)) {
    const auto& h = doc.as_object();
    if (h.at("organization").as_string() != org.id || h.at("Action").as_string() != "INVITE" ||
        state_of(h) != "OPEN")
      continue;
    for (const auto& p : h.at("Parties").as_array())
      if (p.at("Id").as_string() == id)
        throw error("DuplicateHandshakeException", "A handshake with the same action and target already exists.");
  }
  Array tags;
  if (const auto* t = input.as_object().if_contains("Tags")) merge_tags(tags, *t);
  const Object management = load_account(txn, org, org.management);
  Array resources{org_resource(org, management), Object{{"Type", type}, {"Value", id}}};
  if (auto notes = get_string(input, "Notes")) resources.push_back(Object{{"Type", "NOTES"}, {"Value", *notes}});
  Object h = new_handshake(org, "INVITE",
                           Array{Object{{"Id", org.id}, {"Type", "ORGANIZATION"}}, Object{{"Id", id}, {"Type", type}}},
                           std::move(resources), kInviteLifetime);
  if (!tags.empty()) h["tags"] = tags;
  save(txn, h);
  return Object{{"Handshake", view(h)}};
}

Value enable_all_features(Context& ctx, const Value&) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const auto violation = [](const char* reason, const char* message) {
    return std::move(error("HandshakeConstraintViolationException", message).with_field("Reason", reason));
  };
  if (org.all_features())
    throw violation("ORGANIZATION_ALREADY_HAS_ALL_FEATURES", "This organization already has all features enabled.");
  for (auto& [key, doc] : txn.list(kHandshakesNs))
    if (doc.at("organization").as_string() == org.id && doc.at("Action").as_string() == "ENABLE_ALL_FEATURES" &&
        state_of(doc.as_object()) == "OPEN")
      throw violation("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
                      "This organization is already in the process of enabling all features.");
  Object parent = new_handshake(
      org, "ENABLE_ALL_FEATURES",
      Array{Object{{"Id", org.id}, {"Type", "ORGANIZATION"}}, Object{{"Id", org.management}, {"Type", "ACCOUNT"}}},
      Array{Object{{"Type", "ORGANIZATION"}, {"Value", org.id}}}, kApprovalLifetime);
  save(txn, parent);
  // Every member account approves; then the management account accepts the parent.
  for (auto& account : all_docs(txn, org, kAccounts)) {
    const std::string id(account.at("Id").as_string());
    if (id == org.management) continue;
    Object approval = new_handshake(
        org, "APPROVE_ALL_FEATURES",
        Array{Object{{"Id", org.id}, {"Type", "ORGANIZATION"}}, Object{{"Id", id}, {"Type", "ACCOUNT"}}},
        Array{Object{{"Type", "ORGANIZATION"}, {"Value", org.id}},
              Object{{"Type", "PARENT_HANDSHAKE"}, {"Value", parent.at("Id")}}},
        kApprovalLifetime);
    approval["parent"] = parent.at("Id");
    save(txn, approval);
  }
  return Object{{"Handshake", view(parent)}};
}

Value accept_handshake(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object h = load_handshake(txn, required(input, "HandshakeId"));
  const std::string& caller = ctx.caller.account_id;
  if (account_party(h) != caller) throw handshake_not_found();
  check_transition(h, "ACCEPTED");
  const std::string action(h.at("Action").as_string());
  auto org_doc = txn.get(kOrgsNs, h.at("organization").as_string());
  if (!org_doc) throw handshake_not_found();
  Org org;
  org.doc = std::move(org_doc->as_object());
  org.id = std::string(org.doc.at("Id").as_string());
  org.management = std::string(org.doc.at("MasterAccountId").as_string());
  org.root_id = std::string(org.doc.at("root").as_string());
  if (action == "INVITE") {
    if (find_org_of(txn, caller))
      throw std::move(error("HandshakeConstraintViolationException", "The account is already a member of an organization.")
                          .with_field("Reason", "ALREADY_IN_AN_ORGANIZATION"));
    join(txn, org, caller, h);
  } else if (action == "ENABLE_ALL_FEATURES") {
    for (auto& [key, doc] : txn.list(kHandshakesNs)) {
      const auto* parent = doc.as_object().if_contains("parent");
      if (parent && parent->as_string() == h.at("Id").as_string() && state_of(doc.as_object()) != "ACCEPTED")
        throw error("InvalidHandshakeTransitionException",
                    "All member accounts must approve enabling all features before the management account accepts.");
    }
    org.doc["FeatureSet"] = "ALL";
    save_org(txn, org);
    ensure_aws_managed_policy(txn, org, kScp);
  }
  h["State"] = "ACCEPTED";
  save(txn, h);
  return Object{{"Handshake", view(h)}};
}

Value decline_handshake(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object h = load_handshake(txn, required(input, "HandshakeId"));
  if (account_party(h) != ctx.caller.account_id) throw handshake_not_found();
  check_transition(h, "DECLINED");
  h["State"] = "DECLINED";
  save(txn, h);
  return Object{{"Handshake", view(h)}};
}

Value cancel_handshake(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object h = load_handshake(txn, required(input, "HandshakeId"));
  if (!is_originator(txn, ctx, h)) throw handshake_not_found();
  check_transition(h, "CANCELED");
  h["State"] = "CANCELED";
  save(txn, h);
  return Object{{"Handshake", view(h)}};
}

Value describe_handshake(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Object h = load_handshake(txn, required(input, "HandshakeId"));
  if (account_party(h) != ctx.caller.account_id && !is_originator(txn, ctx, h)) throw handshake_not_found();
  return Object{{"Handshake", view(h)}};
}

Value list_handshakes_for_account(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  std::vector<KeyedItem> items;
  for (auto& [key, doc] : txn.list(kHandshakesNs)) {
    const auto& h = doc.as_object();
    if (account_party(h) == ctx.caller.account_id && matches_filter(input, h)) items.emplace_back(key, view(h));
  }
  return paged(input, std::move(items), "Handshakes");
}

Value list_handshakes_for_organization(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  std::vector<KeyedItem> items;
  for (auto& [key, doc] : txn.list(kHandshakesNs)) {
    const auto& h = doc.as_object();
    if (h.at("organization").as_string() == org.id && matches_filter(input, h)) items.emplace_back(key, view(h));
  }
  return paged(input, std::move(items), "Handshakes");
}

}  // namespace terrarium::services::organizations
