// The organization's tree: its root and organizational units, and what
// lists the children and parents in it.
#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

// AWS's limit of OUs nested under a root.
constexpr size_t kMaxOuDepth = 5;

AwsError ou_not_found() {
  return error("OrganizationalUnitNotFoundException",
               "We can't find an OU with the OrganizationalUnitId that you specified.");
}

Object load_ou(store::Transaction& txn, const Org& org, std::string_view id) {
  auto doc = get_doc(txn, org, kOus, id);
  if (!doc) throw ou_not_found();
  return std::move(*doc);
}

void check_unique_name(store::Transaction& txn, const Org& org, std::string_view parent, std::string_view name,
                       std::string_view except) {
  for (auto& ou : all_docs(txn, org, kOus))
    if (ou.at("parent").as_string() == parent && ou.at("Name").as_string() == name && ou.at("Id").as_string() != except)
      throw error("DuplicateOrganizationalUnitException", "An OU with the same name already exists.");
}

}  // namespace

Value list_roots(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  std::vector<KeyedItem> items;
  for (auto& root : all_docs(txn, org, kRoots)) items.emplace_back(std::string(root.at("Id").as_string()), root);
  return paged(input, std::move(items), "Roots");
}

Value create_organizational_unit(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string parent_id = required(input, "ParentId");
  const std::string name = required(input, "Name");
  auto parent = find_parent(txn, org, parent_id);
  if (!parent) throw parent_not_found();
  // The path holds the root and the OUs above the new one.
  if (path_to(txn, org, *parent).size() > kMaxOuDepth)
    throw constraint("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep.");
  check_unique_name(txn, org, parent_id, name, "");
  Array tags;
  if (const auto* t = input.as_object().if_contains("Tags")) merge_tags(tags, *t);
  const std::string id = "ou-" + org.root_id.substr(2) + "-" + random_id(8);
  Object ou{{"Id", id}, {"Arn", arn(org, "ou", id)}, {"Name", name}, {"parent", parent_id}};
  put_doc(txn, org, kOus, id, ou);
  attach_defaults(txn, org, id);
  set_tags(txn, org, id, tags);
  return Object{{"OrganizationalUnit", ou_view(ou)}};
}

Value describe_organizational_unit(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  return Object{{"OrganizationalUnit", ou_view(load_ou(txn, org, required(input, "OrganizationalUnitId")))}};
}

Value update_organizational_unit(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string id = required(input, "OrganizationalUnitId");
  Object ou = load_ou(txn, org, id);
  if (auto name = get_string(input, "Name")) {
    check_unique_name(txn, org, ou.at("parent").as_string(), *name, id);
    ou["Name"] = *name;
    put_doc(txn, org, kOus, id, ou);
  }
  return Object{{"OrganizationalUnit", ou_view(ou)}};
}

Value delete_organizational_unit(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Org org = require_management(txn, ctx);
  const std::string id = required(input, "OrganizationalUnitId");
  load_ou(txn, org, id);
  for (std::string_view kind : {kOus, kAccounts})
    for (auto& child : all_docs(txn, org, kind))
      if (child.at("parent").as_string() == id)
        throw error("OrganizationalUnitNotEmptyException",
                    "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all "
                    "child OUs, and try the operation again.");
  detach_all(txn, org, id);
  set_tags(txn, org, id, Array{});
  txn.erase(ns(org.id, kOus), id);
  return Object{};
}

Value list_organizational_units_for_parent(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string parent = required(input, "ParentId");
  if (!find_parent(txn, org, parent)) throw parent_not_found();
  std::vector<KeyedItem> items;
  for (auto& ou : all_docs(txn, org, kOus))
    if (ou.at("parent").as_string() == parent) items.emplace_back(std::string(ou.at("Id").as_string()), ou_view(ou));
  return paged(input, std::move(items), "OrganizationalUnits");
}

Value list_children(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  const std::string parent = required(input, "ParentId");
  const std::string type = required(input, "ChildType");
  if (!find_parent(txn, org, parent)) throw parent_not_found();
  std::vector<KeyedItem> items;
  for (auto& child : all_docs(txn, org, type == "ACCOUNT" ? kAccounts : kOus))
    if (child.at("parent").as_string() == parent)
      items.emplace_back(std::string(child.at("Id").as_string()), Object{{"Id", child.at("Id")}, {"Type", type}});
  return paged(input, std::move(items), "Children");
}

Value list_parents(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  Org org = require_reader(txn, ctx);
  auto child = find_target(txn, org, required(input, "ChildId"));
  if (!child || child->type == "ROOT")
    throw error("ChildNotFoundException",
                "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
  const std::string parent = parent_of(*child);
  std::vector<KeyedItem> items;
  items.emplace_back(parent, Object{{"Id", parent}, {"Type", parent.rfind("r-", 0) == 0 ? "ROOT" : "ORGANIZATIONAL_UNIT"}});
  return paged(input, std::move(items), "Parents");
}

}  // namespace terrarium::services::organizations
