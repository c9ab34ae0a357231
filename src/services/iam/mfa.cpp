// Virtual MFA devices: a TOTP seed (RFC 6238, HMAC-SHA1, 30-second steps,
// six digits) that EnableMFADevice binds to a user once two consecutive
// codes prove the authenticator holds it.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>

#include "core/base32.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/iam/mfa.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"
#include "services/pagination.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kMfaNs = "mfa-devices";
constexpr size_t kSeedBytes = 40;  // AWS's seeds are 64 base32 characters
constexpr int64_t kStep = 30;
// Codes are accepted from authenticators whose clock is this many steps off.
constexpr int64_t kSkewSteps = 10;
constexpr size_t kMaxDevicesPerUser = 8;

// A 1x1 PNG: AWS's QR code image, which Terrarium does not draw (the seed
// is in Base32StringSeed for authenticators that take it typed in).
const unsigned char kPng[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
                              0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
                              0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
                              0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
                              0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

std::optional<Object> find_device(store::Transaction& txn, const Context& ctx, const std::string& serial) {
  auto doc = txn.get(ns(ctx, kMfaNs), serial);
  if (!doc) return std::nullopt;
  return std::move(doc->as_object());
}

void save_device(store::Transaction& txn, const Context& ctx, const Object& device) {
  txn.put(ns(ctx, kMfaNs), std::string(device.at("SerialNumber").as_string()), device);
}

Object load_virtual_device(store::Transaction& txn, const Context& ctx, const std::string& serial) {
  auto device = find_device(txn, ctx, serial);
  if (!device) throw no_such_entity("VirtualMFADevice with serial number " + serial + " doesn't exist.");
  return std::move(*device);
}

std::string assigned_user(const Object& device) {
  const auto* user = device.if_contains("user");
  return user ? std::string(user->as_string()) : std::string();
}

// The user the request names, else the caller; NoSuchEntity as AWS words it.
Object target_user(store::Transaction& txn, Context& ctx, const Value& input) {
  auto name = user_name_or_caller(ctx, input);
  if (!name) throw invalid_input("The user name is required.");
  return load(txn, ctx, kUser, *name);
}

// The user's device `serial`; NoSuchEntity when it is not theirs.
Object users_device(store::Transaction& txn, const Context& ctx, const Object& user, const std::string& serial) {
  auto device = find_device(txn, ctx, serial);
  if (!device || assigned_user(*device) != ascii_lower(name_of(user, kUser)))
    throw no_such_entity("MFA Device with serial number " + serial + " does not exist.");
  return std::move(*device);
}

// The step at which `code1` then `code2` are the authenticator's codes.
void check_codes(const Object& device, const Value& input) {
  const std::string seed = base32_decode(device.at("seed").as_string()).value_or("");
  const std::string code1 = required_string(input, "AuthenticationCode1");
  const std::string code2 = required_string(input, "AuthenticationCode2");
  const int64_t now = static_cast<int64_t>(now_epoch_seconds()) / kStep;
  for (int64_t step = now - kSkewSteps; step <= now + 1; ++step)
    if (totp_code(seed, step) == code1 && totp_code(seed, step + 1) == code2) return;
  throw AwsError("InvalidAuthenticationCode", "Authentication code for device is not valid.", 403);
}

Object virtual_view(store::Transaction& txn, const Context& ctx, const Object& device) {
  Object out = pick(device, {"SerialNumber", "EnableDate"});
  if (const auto name = assigned_user(device); !name.empty()) {
    if (auto user = find(txn, ctx, kUser, name))
      out["User"] = pick(*user, {"Path", "UserName", "UserId", "Arn", "CreateDate", "PasswordLastUsed"});
  }
  if (const auto* tags = device.if_contains("Tags"); tags && !tags->as_array().empty()) out["Tags"] = *tags;
  return out;
}

}  // namespace

std::string totp_code(std::string_view key, int64_t step) {
  unsigned char counter[8];
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(step & 0xff);
    step >>= 8;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), counter, sizeof counter, digest, &length);
  const int offset = digest[length - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(digest[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(digest[offset + 1]) << 16) |
                          (static_cast<uint32_t>(digest[offset + 2]) << 8) | digest[offset + 3];
  char code[8];
  std::snprintf(code, sizeof code, "%06u", binary % 1000000);
  return code;
}

int64_t mfa_devices_of(store::Transaction& txn, const Context& ctx, const std::string& user_key) {
  int64_t n = 0;
  for (auto& [serial, device] : txn.list(ns(ctx, kMfaNs)))
    if (assigned_user(device.as_object()) == user_key) ++n;
  return n;
}

void rename_mfa_owner(store::Transaction& txn, const Context& ctx, const std::string& old_key,
                      const std::string& new_key) {
  for (auto& [serial, device] : txn.list(ns(ctx, kMfaNs)))
    if (assigned_user(device.as_object()) == old_key) {
      device.as_object()["user"] = new_key;
      txn.put(ns(ctx, kMfaNs), serial, device);
    }
}

std::pair<int64_t, int64_t> mfa_device_counts(store::Transaction& txn, const Context& ctx) {
  int64_t all = 0, in_use = 0;
  for (auto& [serial, device] : txn.list(ns(ctx, kMfaNs))) {
    ++all;
    if (!assigned_user(device.as_object()).empty()) ++in_use;
  }
  return {all, in_use};
}

Value create_virtual_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string serial = make_arn(ctx, "mfa/", path_of(input), required_string(input, "VirtualMFADeviceName"));
  if (find_device(txn, ctx, serial))
    throw already_exists("MFADevice entity at the same path and name already exists.");
  const std::string seed = base32_encode(random_bytes(kSeedBytes));
  Object device{{"SerialNumber", serial}, {"seed", seed}};
  if (const auto* tags = input.as_object().if_contains("Tags")) merge_tags(tags_of(device), *tags);
  save_device(txn, ctx, device);
  Object out{{"SerialNumber", serial},
             {"Base32StringSeed", seed},
             {"QRCodePNG", std::string(reinterpret_cast<const char*>(kPng), sizeof kPng)}};
  if (!tags_of(device).empty()) out["Tags"] = device["Tags"];
  return Object{{"VirtualMFADevice", std::move(out)}};
}

Value enable_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  const std::string serial = required_string(input, "SerialNumber");
  Object device = load_virtual_device(txn, ctx, serial);
  if (!assigned_user(device).empty()) throw already_exists("MFA Device is already in use.");
  const std::string user_key = ascii_lower(name_of(user, kUser));
  if (static_cast<size_t>(mfa_devices_of(txn, ctx, user_key)) >= kMaxDevicesPerUser)
    throw limit_exceeded("Cannot exceed quota for MFADevicesPerUser: 8");
  check_codes(device, input);
  device["user"] = user_key;
  device["EnableDate"] = now_seconds();
  save_device(txn, ctx, device);
  return Object{};
}

Value deactivate_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = target_user(txn, ctx, input);
  Object device = users_device(txn, ctx, user, required_string(input, "SerialNumber"));
  device.erase("user");
  device.erase("EnableDate");
  save_device(txn, ctx, device);
  return Object{};
}

Value resync_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object user = load(txn, ctx, kUser, required_string(input, "UserName"));
  Object device = users_device(txn, ctx, user, required_string(input, "SerialNumber"));
  check_codes(device, input);
  return Object{};
}

Value delete_virtual_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  const std::string serial = required_string(input, "SerialNumber");
  Object device = load_virtual_device(txn, ctx, serial);
  if (!assigned_user(device).empty()) throw delete_conflict("MFA device is already in use.");
  txn.erase(ns(ctx, kMfaNs), serial);
  return Object{};
}

Value list_virtual_mfa_devices(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  const std::string status = get_string(input, "AssignmentStatus").value_or("Any");
  std::vector<KeyedItem> items;
  for (auto& [serial, doc] : txn.list(ns(ctx, kMfaNs))) {
    const bool assigned = !assigned_user(doc.as_object()).empty();
    if ((status == "Assigned" && !assigned) || (status == "Unassigned" && assigned)) continue;
    items.emplace_back(serial, virtual_view(txn, ctx, doc.as_object()));
  }
  return paged_result(input, std::move(items), "VirtualMFADevices");
}

Value list_mfa_devices(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  std::vector<KeyedItem> items;
  if (auto name = user_name_or_caller(ctx, input)) {
    Object user = load(txn, ctx, kUser, *name);
    const std::string key = ascii_lower(name_of(user, kUser));
    for (auto& [serial, doc] : txn.list(ns(ctx, kMfaNs)))
      if (assigned_user(doc.as_object()) == key)
        items.emplace_back(serial, Object{{"UserName", name_of(user, kUser)},
                                          {"SerialNumber", doc.at("SerialNumber")},
                                          {"EnableDate", doc.at("EnableDate")}});
  }
  return paged_result(input, std::move(items), "MFADevices");
}

Value get_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.read_txn();
  const std::string serial = required_string(input, "SerialNumber");
  auto device = find_device(txn, ctx, serial);
  auto missing = [&] { return no_such_entity("MFA Device with serial number " + serial + " does not exist."); };
  if (!device || assigned_user(*device).empty()) throw missing();
  auto user = find(txn, ctx, kUser, assigned_user(*device));
  if (!user) throw missing();
  if (auto name = get_string(input, "UserName"); name && ascii_lower(*name) != assigned_user(*device)) throw missing();
  return Object{{"UserName", name_of(*user, kUser)}, {"SerialNumber", serial}, {"EnableDate", device->at("EnableDate")}};
}

Value tag_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object device = load_virtual_device(txn, ctx, required_string(input, "SerialNumber"));
  merge_tags(tags_of(device), input.at("Tags"));
  save_device(txn, ctx, device);
  return Object{};
}

Value untag_mfa_device(Context& ctx, const Value& input) {
  auto& txn = ctx.txn();
  Object device = load_virtual_device(txn, ctx, required_string(input, "SerialNumber"));
  remove_tags(tags_of(device), input.at("TagKeys"));
  save_device(txn, ctx, device);
  return Object{};
}

Value list_mfa_device_tags(Context& ctx, const Value& input) {
  Object device = load_virtual_device(ctx.read_txn(), ctx, required_string(input, "SerialNumber"));
  return paged_tags(input, tags_of(device));
}

}  // namespace terrarium::services::iam
