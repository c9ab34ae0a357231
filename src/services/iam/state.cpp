#include "services/iam/state.hpp"

#include <algorithm>
#include <cctype>

#include "core/ids.hpp"
#include "core/string_map.hpp"
#include "core/time_format.hpp"
#include "http/message.hpp"

namespace terrarium::services::iam {

const EntityKind kUser{"users", "user/", "UserName", "AIDA", "user"};
const EntityKind kGroup{"groups", "group/", "GroupName", "AGPA", "group"};
const EntityKind kRole{"roles", "role/", "RoleName", "AROA", "role"};
const EntityKind kInstanceProfile{"instance-profiles", "instance-profile/", "InstanceProfileName", "AIPA",
                                  "instance profile"};
const EntityKind kServerCertificate{"server-certificates", "server-certificate/", "ServerCertificateName", "ASCA",
                                    "Server Certificate"};

namespace {

constexpr size_t kMaxTags = 50;

std::string not_found_message(const EntityKind& kind, std::string_view name) {
  if (&kind == &kInstanceProfile) return "Instance Profile " + std::string(name) + " cannot be found.";
  if (&kind == &kServerCertificate) return "The Server Certificate with name " + std::string(name) + " cannot be found.";
  return "The " + std::string(kind.noun) + " with name " + std::string(name) + " cannot be found.";
}

std::string exists_message(const EntityKind& kind, std::string_view name) {
  if (&kind == &kInstanceProfile) return "Instance Profile " + std::string(name) + " already exists.";
  if (&kind == &kServerCertificate) return "The Server Certificate with name " + std::string(name) + " already exists.";
  std::string noun(kind.noun);
  noun[0] = ascii_upper(noun[0]);
  return noun + " with name " + std::string(name) + " already exists.";
}

// ns(), built in a per-thread buffer and valid until the next call: every
// IAM request reads an entity or two (the authorizer's peek, then the
// handler's get), and the store copies what it keeps.
std::string_view ns_view(const Context& ctx, std::string_view kind) {
  thread_local std::string buffer;
  return join_key(buffer, '/', {"iam", ctx.caller.account_id, kind});
}

}  // namespace

std::string ns(const Context& ctx, std::string_view kind) { return std::string(ns_view(ctx, kind)); }

int64_t now_seconds() { return static_cast<int64_t>(now_epoch_seconds()); }

std::string new_id(std::string_view prefix) { return new_base32_id(std::string(prefix), 17); }

std::string make_arn(const Context& ctx, std::string_view type, std::string_view path, std::string_view name) {
  std::string arn = "arn:aws:iam::" + ctx.caller.account_id + ":" + std::string(type);
  // A type ending in '/' ("user/") takes the path without its leading slash.
  if (!type.empty() && type.back() == '/') arn += std::string(path.substr(1));
  else arn += std::string(path);
  return arn + std::string(name);
}

AwsError no_such_entity(const std::string& message) { return AwsError("NoSuchEntity", message, 404); }
AwsError already_exists(const std::string& message) { return AwsError("EntityAlreadyExists", message, 409); }
AwsError delete_conflict(const std::string& message) { return AwsError("DeleteConflict", message, 409); }
AwsError limit_exceeded(const std::string& message) { return AwsError("LimitExceeded", message, 409); }
AwsError invalid_input(const std::string& message) { return AwsError("InvalidInput", message, 400); }

std::optional<Object> find(store::Transaction& txn, const Context& ctx, const EntityKind& kind,
                           std::string_view name) {
  auto doc = txn.get(ns_view(ctx, kind.ns), ascii_lower(name));
  if (!doc) return std::nullopt;
  return std::move(doc->as_object());
}

std::shared_ptr<const Value> peek(store::Transaction& txn, const Context& ctx, const EntityKind& kind,
                                  std::string_view name) {
  return txn.peek(ns_view(ctx, kind.ns), ascii_lower(name));
}

Object load(store::Transaction& txn, const Context& ctx, const EntityKind& kind, std::string_view name) {
  auto doc = find(txn, ctx, kind, name);
  if (!doc) throw no_such_entity(not_found_message(kind, name));
  return std::move(*doc);
}

void save(store::Transaction& txn, const Context& ctx, const EntityKind& kind, const Object& doc) {
  txn.put(ns(ctx, kind.ns), ascii_lower(name_of(doc, kind)), doc);
}

std::vector<Object> load_all(store::Transaction& txn, const Context& ctx, const EntityKind& kind) {
  std::vector<Object> out;
  for (auto& [key, doc] : txn.list(ns(ctx, kind.ns))) out.push_back(std::move(doc.as_object()));
  return out;
}

Object create_entity(store::Transaction& txn, const Context& ctx, const EntityKind& kind,
                     const std::string& name, const std::string& path) {
  if (auto existing = find(txn, ctx, kind, name))
    throw already_exists(exists_message(kind, name_of(*existing, kind)));
  Object doc;
  doc["Path"] = path;
  doc[kind.name_member] = name;
  std::string id_member(kind.name_member);
  id_member.replace(id_member.size() - 4, 4, "Id");
  doc[id_member] = new_id(kind.id_prefix);
  doc["Arn"] = make_arn(ctx, kind.arn_type, path, name);
  doc["CreateDate"] = now_seconds();
  return doc;
}

Object pick(const Object& doc, std::initializer_list<std::string_view> members) {
  Object out;
  for (auto m : members)
    if (const auto* v = doc.if_contains(m)) out[m] = *v;
  return out;
}

std::string name_of(const Object& doc, const EntityKind& kind) {
  return std::string(doc.at(kind.name_member).as_string());
}

std::string encode_document(std::string_view document) { return http::percent_encode(document); }

void validate_policy_document(const std::string& document, PolicyKind kind) {
  // IAM words a document that is no JSON at all apart from other syntax errors.
  boost::system::error_code ec;
  boost::json::parse(document, ec);
  if (ec) throw AwsError("MalformedPolicyDocument", "This policy contains invalid Json", 400);
  if (auto why = auth::policy_document_error(document, kind)) throw AwsError("MalformedPolicyDocument", *why, 400);
}

size_t policy_size(const std::string& document) {
  size_t size = 0;
  bool in_string = false, escaped = false;
  for (char c : document) {
    if (in_string) {
      ++size;
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      ++size;
      if (c == '"') in_string = true;
    }
  }
  return size;
}

void check_policy_size(const std::string& document, size_t limit, const std::string& quota) {
  if (policy_size(document) > limit)
    throw AwsError("LimitExceeded", "Cannot exceed quota for " + quota + ": " + std::to_string(limit), 409);
}

std::string required_string(const Value& input, std::string_view member) {
  return get_string(input, member).value_or("");
}

std::string path_of(const Value& input) { return get_string(input, "Path").value_or("/"); }

bool matches_prefix(const Value& input, const Object& doc) {
  const std::string prefix = get_string(input, "PathPrefix").value_or("/");
  const auto* path = doc.if_contains("Path");
  return path && path->as_string().subview().substr(0, prefix.size()) == prefix;
}

Array& tags_of(Object& doc) {
  auto& tags = doc["Tags"];
  if (!tags.is_array()) tags = Array{};
  return tags.as_array();
}

void merge_tags(Array& tags, const Value& input_tags) {
  if (!input_tags.is_array()) return;
  std::vector<std::string> seen;
  for (const auto& tag : input_tags.as_array()) {
    const std::string key = ascii_lower(get_string(tag, "Key").value_or(""));
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw invalid_input("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.push_back(key);
  }
  for (const auto& tag : input_tags.as_array()) {
    const std::string key = ascii_lower(get_string(tag, "Key").value_or(""));
    auto it = std::find_if(tags.begin(), tags.end(), [&](const Value& t) {
      return ascii_lower(get_string(t, "Key").value_or("")) == key;
    });
    Object entry{{"Key", get_string(tag, "Key").value_or("")}, {"Value", get_string(tag, "Value").value_or("")}};
    if (it != tags.end()) *it = std::move(entry);
    else tags.push_back(std::move(entry));
  }
  if (tags.size() > kMaxTags)
    throw limit_exceeded("The number of tags has reached the maximum limit.");
}

void remove_tags(Array& tags, const Value& keys) {
  if (!keys.is_array()) return;
  for (const auto& k : keys.as_array()) {
    const std::string key = ascii_lower(k.as_string());
    tags.erase(std::remove_if(tags.begin(), tags.end(),
                              [&](const Value& t) { return ascii_lower(get_string(t, "Key").value_or("")) == key; }),
               tags.end());
  }
}

Array& attached_of(Object& doc) {
  auto& list = doc["attached"];
  if (!list.is_array()) list = Array{};
  return list.as_array();
}

Object& inline_of(Object& doc) {
  auto& map = doc["inline"];
  if (!map.is_object()) map = Object{};
  return map.as_object();
}

std::optional<std::string> user_name_or_caller(const Context& ctx, const Value& input) {
  if (auto name = get_string(input, "UserName")) return name;
  if (ctx.caller.type == PrincipalType::kUser) {
    const auto slash = ctx.caller.arn.rfind('/');
    return ctx.caller.arn.substr(slash + 1);
  }
  return std::nullopt;
}

}  // namespace terrarium::services::iam

#include "services/pagination.hpp"

namespace terrarium::services::iam {

Object paged_tags(const Value& input, const Array& tags) {
  std::vector<KeyedItem> items;
  for (const auto& tag : tags) items.emplace_back(ascii_lower(get_string(tag, "Key").value_or("")), tag);
  return paged_result(input, std::move(items), "Tags");
}

}  // namespace terrarium::services::iam
