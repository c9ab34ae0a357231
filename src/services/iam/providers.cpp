// Identity providers: OpenID Connect providers (keyed by their URL) and SAML
// providers (keyed by name), with their tags.
#include "services/iam/providers.hpp"

#include <algorithm>
#include <pugixml.hpp>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kOidcNs = "oidc-providers";
constexpr std::string_view kSamlNs = "saml-providers";
constexpr size_t kMaxThumbprints = 5;
constexpr size_t kMaxClientIds = 100;
// AWS dates a SAML provider whose metadata sets no validUntil a century ahead.
constexpr int64_t kDefaultSamlValidity = 100LL * 365 * 24 * 3600;

std::string strip_url(std::string_view url) {
  std::string_view rest = url;
  if (rest.rfind("https://", 0) == 0) rest.remove_prefix(8);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  return std::string(rest);
}

// The part of an ARN after "oidc-provider/" or "saml-provider/", the store key.
std::string arn_key(std::string_view arn, std::string_view type) {
  const auto at = arn.find(type);
  if (at == std::string_view::npos) return {};
  return ascii_lower(arn.substr(at + type.size()));
}

Object load_oidc(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  const std::string key = arn_key(arn, ":oidc-provider/");
  auto doc = key.empty() ? std::nullopt : txn.get(ns(ctx, kOidcNs), key);
  if (!doc || doc->at("Arn").as_string() != arn)
    throw no_such_entity("OpenIDConnect Provider not found for arn " + arn);
  return std::move(doc->as_object());
}

void save_oidc(store::Transaction& txn, const Context& ctx, const Object& doc) {
  txn.put(ns(ctx, kOidcNs), arn_key(doc.at("Arn").as_string(), ":oidc-provider/"), doc);
}

Array string_list(const Value& input, std::string_view member) {
  Array out;
  if (const auto* list = input.as_object().if_contains(member); list && list->is_array())
    for (const auto& v : list->as_array())
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

void check_thumbprints(const Array& thumbprints) {
  if (thumbprints.size() > kMaxThumbprints)
    throw invalid_input("Thumbprint list must contain fewer than " + std::to_string(kMaxThumbprints + 1) +
                        " entries.");
  for (const auto& t : thumbprints) {
    const auto& s = t.as_string();
    if (s.size() != 40 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
      throw invalid_input("Thumbprint must be a 40 character hexadecimal string: " + std::string(s));
  }
}

}  // namespace

std::string oidc_provider_arn(const Context& ctx, std::string_view url) {
  return "arn:aws:iam::" + ctx.caller.account_id + ":oidc-provider/" + strip_url(url);
}

// OpenID Connect

Value create_open_id_connect_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string url = required_string(input, "Url");
  if (url.rfind("https://", 0) != 0 || strip_url(url).empty())
    throw invalid_input("Invalid OpenIdConnect Provider URL: " + url + ". The URL must begin with https://");
  const std::string arn = oidc_provider_arn(ctx, url);
  if (txn.get(ns(ctx, kOidcNs), arn_key(arn, ":oidc-provider/")))
    throw already_exists("Provider with url " + url + " already exists.");
  Array client_ids = string_list(input, "ClientIDList");
  if (client_ids.size() > kMaxClientIds)
    throw limit_exceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
  Array thumbprints = string_list(input, "ThumbprintList");
  check_thumbprints(thumbprints);
  Object doc{{"Arn", arn},
             {"Url", strip_url(url)},
             {"ClientIDList", std::move(client_ids)},
             {"ThumbprintList", std::move(thumbprints)},
             {"CreateDate", now_seconds()}};
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(doc), *tags);
  save_oidc(txn, ctx, doc);
  Object out{{"OpenIDConnectProviderArn", arn}};
  if (!tags_of(doc).empty()) out["Tags"] = doc["Tags"];
  return out;
}

Value get_open_id_connect_provider(Context& ctx, const Value& input) {
  Object doc = load_oidc(ctx.read_txn(), ctx, required_string(input, "OpenIDConnectProviderArn"));
  Object out = pick(doc, {"Url", "ClientIDList", "ThumbprintList", "CreateDate"});
  if (!tags_of(doc).empty()) out["Tags"] = doc["Tags"];
  return out;
}

Value list_open_id_connect_providers(Context& ctx, const Value&) {
  Array list;
  for (auto& [key, doc] : ctx.read_txn().list(ns(ctx, kOidcNs))) list.push_back(Object{{"Arn", doc.at("Arn")}});
  return Object{{"OpenIDConnectProviderList", std::move(list)}};
}

Value delete_open_id_connect_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_oidc(txn, ctx, required_string(input, "OpenIDConnectProviderArn"));
  txn.erase(ns(ctx, kOidcNs), arn_key(doc.at("Arn").as_string(), ":oidc-provider/"));
  return Object{};
}

Value add_client_id_to_open_id_connect_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_oidc(txn, ctx, required_string(input, "OpenIDConnectProviderArn"));
  Value id(required_string(input, "ClientID"));
  auto& ids = doc["ClientIDList"].as_array();
  if (std::find(ids.begin(), ids.end(), id) != ids.end()) return Object{};
  if (ids.size() >= kMaxClientIds)
    throw limit_exceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
  ids.push_back(std::move(id));
  save_oidc(txn, ctx, doc);
  return Object{};
}

Value remove_client_id_from_open_id_connect_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_oidc(txn, ctx, required_string(input, "OpenIDConnectProviderArn"));
  Value id(required_string(input, "ClientID"));
  auto& ids = doc["ClientIDList"].as_array();
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  save_oidc(txn, ctx, doc);
  return Object{};
}

Value update_open_id_connect_provider_thumbprint(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_oidc(txn, ctx, required_string(input, "OpenIDConnectProviderArn"));
  Array thumbprints = string_list(input, "ThumbprintList");
  check_thumbprints(thumbprints);
  doc["ThumbprintList"] = std::move(thumbprints);
  save_oidc(txn, ctx, doc);
  return Object{};
}

Value tag_open_id_connect_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_oidc(txn, ctx, required_string(input, "OpenIDConnectProviderArn"));
  merge_tags(tags_of(doc), input.at("Tags"));
  save_oidc(txn, ctx, doc);
  return Object{};
}

Value untag_open_id_connect_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_oidc(txn, ctx, required_string(input, "OpenIDConnectProviderArn"));
  remove_tags(tags_of(doc), input.at("TagKeys"));
  save_oidc(txn, ctx, doc);
  return Object{};
}

Value list_open_id_connect_provider_tags(Context& ctx, const Value& input) {
  Object doc = load_oidc(ctx.read_txn(), ctx, required_string(input, "OpenIDConnectProviderArn"));
  return paged_tags(input, tags_of(doc));
}

// SAML

namespace {

// ValidUntil of the metadata (its EntityDescriptor's validUntil), or nullopt
// when it sets none. Throws InvalidInput when it is no SAML metadata.
std::optional<int64_t> parse_saml_metadata(const std::string& document) {
  pugi::xml_document xml;
  if (!xml.load_buffer(document.data(), document.size()))
    throw invalid_input("Could not parse metadata");
  pugi::xml_node root = xml.document_element();
  std::string_view name = root.name();
  if (const auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  if (name != "EntityDescriptor" && name != "EntitiesDescriptor") throw invalid_input("Could not parse metadata");
  if (const auto valid = root.attribute("validUntil")) {
    if (auto when = parse_iso8601(valid.value())) return static_cast<int64_t>(*when);
  }
  return std::nullopt;
}

Object load_saml(store::Transaction& txn, const Context& ctx, const std::string& arn) {
  const std::string key = arn_key(arn, ":saml-provider/");
  auto doc = key.empty() ? std::nullopt : txn.get(ns(ctx, kSamlNs), key);
  if (!doc || doc->at("Arn").as_string() != arn) throw no_such_entity("Manifest not found for arn " + arn);
  return std::move(doc->as_object());
}

void save_saml(store::Transaction& txn, const Context& ctx, const Object& doc) {
  txn.put(ns(ctx, kSamlNs), arn_key(doc.at("Arn").as_string(), ":saml-provider/"), doc);
}

void set_metadata(Object& doc, const std::string& metadata) {
  auto valid = parse_saml_metadata(metadata);
  doc["SAMLMetadataDocument"] = metadata;
  doc["ValidUntil"] = valid.value_or(doc.at("CreateDate").to_number<int64_t>() + kDefaultSamlValidity);
}

}  // namespace

Value create_saml_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string name = required_string(input, "Name");
  const std::string arn = make_arn(ctx, "saml-provider/", "/", name);
  if (txn.get(ns(ctx, kSamlNs), ascii_lower(name))) throw already_exists("SAMLProvider " + name + " already exists");
  Object doc{{"Arn", arn}, {"Name", name}, {"CreateDate", now_seconds()}, {"SAMLProviderUUID", new_request_id()}};
  set_metadata(doc, required_string(input, "SAMLMetadataDocument"));
  if (auto mode = get_string(input, "AssertionEncryptionMode")) doc["AssertionEncryptionMode"] = *mode;
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(doc), *tags);
  save_saml(txn, ctx, doc);
  Object out{{"SAMLProviderArn", arn}};
  if (!tags_of(doc).empty()) out["Tags"] = doc["Tags"];
  return out;
}

Value get_saml_provider(Context& ctx, const Value& input) {
  Object doc = load_saml(ctx.read_txn(), ctx, required_string(input, "SAMLProviderArn"));
  Object out = pick(doc, {"SAMLProviderUUID", "SAMLMetadataDocument", "CreateDate", "ValidUntil",
                          "AssertionEncryptionMode"});
  if (!tags_of(doc).empty()) out["Tags"] = doc["Tags"];
  return out;
}

Value list_saml_providers(Context& ctx, const Value&) {
  Array list;
  for (auto& [key, doc] : ctx.read_txn().list(ns(ctx, kSamlNs)))
    list.push_back(pick(doc.as_object(), {"Arn", "ValidUntil", "CreateDate"}));
  return Object{{"SAMLProviderList", std::move(list)}};
}

Value update_saml_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_saml(txn, ctx, required_string(input, "SAMLProviderArn"));
  if (auto metadata = get_string(input, "SAMLMetadataDocument")) set_metadata(doc, *metadata);
  if (auto mode = get_string(input, "AssertionEncryptionMode")) doc["AssertionEncryptionMode"] = *mode;
  save_saml(txn, ctx, doc);
  return Object{{"SAMLProviderArn", doc.at("Arn")}};
}

Value delete_saml_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_saml(txn, ctx, required_string(input, "SAMLProviderArn"));
  txn.erase(ns(ctx, kSamlNs), arn_key(doc.at("Arn").as_string(), ":saml-provider/"));
  return Object{};
}

Value tag_saml_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_saml(txn, ctx, required_string(input, "SAMLProviderArn"));
  merge_tags(tags_of(doc), input.at("Tags"));
  save_saml(txn, ctx, doc);
  return Object{};
}

Value untag_saml_provider(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object doc = load_saml(txn, ctx, required_string(input, "SAMLProviderArn"));
  remove_tags(tags_of(doc), input.at("TagKeys"));
  save_saml(txn, ctx, doc);
  return Object{};
}

Value list_saml_provider_tags(Context& ctx, const Value& input) {
  Object doc = load_saml(ctx.read_txn(), ctx, required_string(input, "SAMLProviderArn"));
  return paged_tags(input, tags_of(doc));
}

// How many providers the account has (GetAccountSummary's Providers).
int64_t provider_count(store::Transaction& txn, const Context& ctx) {
  return static_cast<int64_t>(txn.list(ns(ctx, kOidcNs)).size() + txn.list(ns(ctx, kSamlNs)).size());
}

}  // namespace terrarium::services::iam
