// The credential report: every user's password, MFA, access key and
// signing certificate status as CSV, as GenerateCredentialReport and
// GetCredentialReport give it.
#include <algorithm>

#include "core/time_format.hpp"
#include "services/iam/access_keys.hpp"
#include "services/iam/mfa.hpp"
#include "services/iam/operations.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

namespace {

constexpr std::string_view kReportKey = "credential-report";
// AWS regenerates a credential report older than four hours.
constexpr int64_t kReportLifetime = 4 * 3600;

// 2015-12-21T17:16:50+00:00, the credential report's dates.
std::string report_date(int64_t seconds) {
  std::string s = format_iso8601(static_cast<double>(seconds));
  if (!s.empty() && s.back() == 'Z') s.replace(s.size() - 1, 1, "+00:00");
  return s;
}

std::string number_date(const Value& v) { return report_date(v.to_number<int64_t>()); }

std::string csv_report(store::Transaction& txn, const Context& ctx) {
  std::string csv =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
      "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
      "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
      "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
      "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";
  std::optional<int64_t> max_age;
  if (auto policy = txn.get(ns(ctx, kAccountNs), "password-policy")) max_age = get_int(*policy, "MaxPasswordAge");

  auto key_columns = [&](std::vector<Object> keys) {
    std::sort(keys.begin(), keys.end(), [](const Object& a, const Object& b) {
      return a.at("CreateDate").to_number<int64_t>() < b.at("CreateDate").to_number<int64_t>();
    });
    std::string out;
    for (size_t i = 0; i < 2; ++i) {
      if (i < keys.size())
        out += std::string(keys[i].at("Status").as_string() == "Active" ? "true" : "false") + "," +
               number_date(keys[i].at("CreateDate")) + ",N/A,N/A,N/A,";
      else
        out += "false,N/A,N/A,N/A,N/A,";
    }
    return out;
  };
  auto cert_columns = [&](const std::string& owner) {
    std::vector<Object> certs;
    for (auto& [id, doc] : txn.list(ns(ctx, "signing-certificates")))
      if (doc.at("owner").as_string() == owner) certs.push_back(std::move(doc.as_object()));
    std::string out;
    for (size_t i = 0; i < 2; ++i) {
      if (i < certs.size())
        out += std::string(certs[i].at("Status").as_string() == "Active" ? "true" : "false") + "," +
               number_date(certs[i].at("UploadDate"));
      else
        out += "false,N/A";
      out += i == 0 ? "," : "";
    }
    return out;
  };

  std::vector<Object> root_keys;
  for (auto& [id, key] : txn.list(ns(ctx, kAccessKeysNs)))
    if (key.at("owner").as_string().empty()) root_keys.push_back(std::move(key.as_object()));
  csv += "<root_account>,arn:aws:iam::" + ctx.caller.account_id + ":root," + report_date(0) +
         ",not_supported,no_information,not_supported,not_supported,false," + key_columns(root_keys) +
         cert_columns("") + "\n";

  auto users = load_all(txn, ctx, kUser);
  std::sort(users.begin(), users.end(),
            [](const Object& a, const Object& b) { return ascii_lower(name_of(a, kUser)) < ascii_lower(name_of(b, kUser)); });
  for (auto& user : users) {
    const std::string key = ascii_lower(name_of(user, kUser));
    const auto* password = user.if_contains("password");
    const bool enabled = user.contains("login_profile");
    std::string changed = "N/A", rotation = "N/A";
    if (enabled && password) {
      const int64_t when = password->at("changed").to_number<int64_t>();
      changed = report_date(when);
      if (max_age) rotation = report_date(when + *max_age * 86400);
    }
    csv += name_of(user, kUser) + "," + std::string(user.at("Arn").as_string()) + "," +
           number_date(user.at("CreateDate")) + "," + (enabled ? "true" : "false") + "," +
           (enabled ? "no_information" : "N/A") + "," + changed + "," + rotation + "," +
           (mfa_devices_of(txn, ctx, key) > 0 ? "true" : "false") + "," +
           key_columns(access_keys_of(txn, ctx, name_of(user, kUser))) + cert_columns(key) + "\n";
  }
  return csv;
}

}  // namespace

Value generate_credential_report(Context& ctx, const Value&) {
  auto& txn = ctx.txn();
  auto report = txn.get(ns(ctx, kAccountNs), kReportKey);
  const int64_t now = now_seconds();
  if (report && now - report->at("GeneratedTime").to_number<int64_t>() < kReportLifetime)
    return Object{{"State", "COMPLETE"}};
  // Terrarium writes the report at once; the first answer is still AWS's.
  txn.put(ns(ctx, kAccountNs), kReportKey, Object{{"GeneratedTime", now}, {"Content", csv_report(txn, ctx)}});
  return Object{{"State", "STARTED"}, {"Description", "No report exists. Starting a new report generation task"}};
}

Value get_credential_report(Context& ctx, const Value&) {
  auto report = ctx.read_txn().get(ns(ctx, kAccountNs), kReportKey);
  if (!report)
    throw AwsError("ReportNotPresent",
                   "Unable to find a credential report for this account. Use GenerateCredentialReport to create one.",
                   410);
  if (now_seconds() - report->at("GeneratedTime").to_number<int64_t>() >= kReportLifetime)
    throw AwsError("ReportExpired",
                   "The credential report is expired. Use GenerateCredentialReport to create a new one.", 410);
  return Object{{"Content", report->at("Content")},
                {"ReportFormat", "text/csv"},
                {"GeneratedTime", report->at("GeneratedTime")}};
}

}  // namespace terrarium::services::iam
