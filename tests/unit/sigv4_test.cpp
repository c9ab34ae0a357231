// SigV4 parsing, verification and signing: AWS's own test suite (read from
// TERRARIUM_SHARED_DIR), requests captured from botocore at a fixed time,
// presigned URLs, and the errors AWS answers with.
#include "auth/sha256.hpp"
#include "auth/sigv4.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/time_format.hpp"

namespace fs = std::filesystem;
using namespace terrarium;
using namespace terrarium::auth;

namespace {

constexpr const char* kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A request as the suite writes it: request line, headers (a line starting
// with whitespace continues the previous value), blank line, body.
http::Request parse_http(const std::string& text) {
  http::Request req;
  std::vector<std::string> lines;
  size_t pos = 0;
  while (true) {
    const auto nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  const std::string& first = lines.at(0);
  const auto sp = first.find(' ');
  const auto http_pos = first.rfind(" HTTP/");
  req.method = first.substr(0, sp);
  req.target = first.substr(sp + 1, http_pos - sp - 1);
  size_t i = 1;
  http::Headers::iterator last = req.headers.end();
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    const std::string& l = lines[i];
    if ((l[0] == ' ' || l[0] == '\t') && last != req.headers.end()) {
      last->second += "\n" + l;
      continue;
    }
    const auto colon = l.find(':');
    std::string value = l.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    last = req.headers.emplace(l.substr(0, colon), value);
  }
  for (size_t j = i + 1; j < lines.size(); ++j) {
    if (j > i + 1) req.body += "\n";
    req.body += lines[j];
  }
  return req;
}

double suite_time() { return *parse_amz_date("20150830T123600Z"); }

fs::path suite_dir() { return fs::path(TERRARIUM_SHARED_DIR) / "sigv4-tests"; }

std::vector<fs::path> suite_cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(suite_dir()))
    if (e.path().extension() == ".sreq") out.push_back(e.path().parent_path() / e.path().stem());
  std::sort(out.begin(), out.end());
  return out;
}

// Changes the last character of `s` that is a digit (or, with no digit, a
// letter), keeping its class so dates stay dates.
bool bump_char(std::string& s) {
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t k = s.size(); k-- > 0;) {
      char& c = s[k];
      if (pass == 0 && c >= '0' && c <= '9') {
        c = c == '9' ? '0' : static_cast<char>(c + 1);
        return true;
      }
      if (pass == 1 && std::isalpha(static_cast<unsigned char>(c))) {
        c = (c == 'z' || c == 'Z') ? static_cast<char>(c - 25) : static_cast<char>(c + 1);
        return true;
      }
    }
  }
  return false;
}

VerifyOptions query_style() {
  VerifyOptions o;
  o.style = ErrorStyle::kQuery;
  return o;
}

void expect_rejected(const http::Request& req, const std::string& what, double now,
                     std::string_view secret = kSuiteSecret,
                     const VerifyOptions& options = query_style()) {
  SCOPED_TRACE(what);
  auto info = parse_sigv4(req);
  ASSERT_TRUE(info.has_value());
  try {
    verify_sigv4(req, *info, secret, now, options);
    ADD_FAILURE() << "accepted a request with a changed " << what;
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "SignatureDoesNotMatch") << e.message();
    EXPECT_EQ(e.http_status(), 403);
  }
}

}  // namespace

TEST(SigV4Suite, CanonicalRequestStringToSignAndVerification) {
  if (!fs::exists(suite_dir()))
    GTEST_SKIP() << "AWS SigV4 test suite not found at " << suite_dir()
                 << " (it lives beside the checkout in ../shared/sigv4-tests)";
  const auto cases = suite_cases();
  ASSERT_GE(cases.size(), 25u);
  for (const auto& base : cases) {
    SCOPED_TRACE(base.filename().string());
    http::Request req = parse_http(read_text(base.string() + ".sreq"));
    const std::string authz = read_text(base.string() + ".authz");
    if (req.header("authorization") != authz) {
      // Upstream defect: this case's .sreq carries the signature of
      // get-relative-relative, not its own (.authz, which our signer
      // reproduces). No verifier can accept it; check the .authz instead.
      EXPECT_EQ(base.filename().string(), "get-vanilla-with-session-token")
          << ".sreq and .authz disagree";
      req.headers.erase("authorization");
      req.headers.emplace("Authorization", authz);
    }
    const std::string creq = read_text(base.string() + ".creq");
    const std::string sts = read_text(base.string() + ".sts");

    const auto info = parse_sigv4(req);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->kind, AuthKind::kHeaderV4);
    EXPECT_EQ(info->malformed, "");
    EXPECT_EQ(info->access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(info->region, "us-east-1");
    EXPECT_EQ(info->service, "service");
    EXPECT_EQ(info->amz_date, "20150830T123600Z");

    const std::string our_creq = canonical_request(req, *info, /*s3_path_rules=*/false);
    EXPECT_EQ(our_creq, creq);
    EXPECT_EQ(string_to_sign(info->amz_date, info->credential_scope(), our_creq), sts);
    EXPECT_NO_THROW(verify_sigv4(req, *info, kSuiteSecret, suite_time(), query_style()));

    // Every signed part, changed, must be refused.
    {
      http::Request r = req;
      r.method = r.method == "GET" ? "PUT" : "GET";
      expect_rejected(r, "method", suite_time());
    }
    {
      http::Request r = req;
      const auto q = r.target.find('?');
      r.target.insert(q == std::string::npos ? r.target.size() : q, "x");
      expect_rejected(r, "path", suite_time());
    }
    if (!req.raw_query().empty()) {
      http::Request r = req;
      std::string query(r.raw_query());
      ASSERT_TRUE(bump_char(query));
      r.target = std::string(r.raw_path()) + "?" + query;
      expect_rejected(r, "query", suite_time());
    }
    {
      http::Request r = req;
      r.target += req.raw_query().empty() ? "?extra=1" : "&extra=1";
      expect_rejected(r, "query (added parameter)", suite_time());
    }
    if (!req.body.empty()) {
      http::Request r = req;
      r.body.back() ^= 1;
      expect_rejected(r, "body", suite_time());
    }
    for (const auto& name : info->signed_headers) {
      http::Request r = req;
      auto it = r.headers.find(name);
      ASSERT_NE(it, r.headers.end()) << name;
      ASSERT_TRUE(bump_char(it->second));
      expect_rejected(r, "header " + name, suite_time());
      if (name != "x-amz-date") {
        http::Request removed = req;
        removed.headers.erase(name);
        expect_rejected(removed, "header " + name + " (removed)", suite_time());
      }
    }
    {
      http::Request r = req;
      auto it = r.headers.find("authorization");
      std::string& v = it->second;
      v.back() = v.back() == '0' ? '1' : '0';
      expect_rejected(r, "signature", suite_time());
    }
    expect_rejected(req, "secret key", suite_time(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz");
  }
}

TEST(SigV4Suite, SignerReproducesAuthorization) {
  if (!fs::exists(suite_dir()))
    GTEST_SKIP() << "AWS SigV4 test suite not found at " << suite_dir();
  for (const auto& base : suite_cases()) {
    SCOPED_TRACE(base.filename().string());
    http::Request req = parse_http(read_text(base.string() + ".req"));
    const auto signed_info = parse_sigv4(parse_http(read_text(base.string() + ".sreq")));
    ASSERT_TRUE(signed_info.has_value());
    Credentials creds{"AKIDEXAMPLE", kSuiteSecret, ""};
    // The suite signs the token in one case and adds it unsigned in another.
    const auto& sh = signed_info->signed_headers;
    if (std::find(sh.begin(), sh.end(), "x-amz-security-token") != sh.end())
      creds.session_token = signed_info->session_token;
    SignParams params;
    params.service = "service";
    params.time = suite_time();
    sign_request(req, creds, params);
    EXPECT_EQ(req.header("authorization").value_or(""), read_text(base.string() + ".authz"));
  }
}

// --- Requests botocore 1.43 produced at 2024-05-06T07:08:09Z (captured by hand
// with a before-send hook; access key AKIDEXAMPLE and the suite's secret) ---

namespace {

constexpr double kBotoTime = 1714979289;  // 20240506T070809Z

http::Request boto_request(std::string method, std::string target,
                           std::vector<std::pair<std::string, std::string>> headers,
                           std::string body = "") {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers.emplace("Host", "localhost:4566");
  for (auto& [k, v] : headers) r.headers.emplace(k, v);
  r.body = std::move(body);
  return r;
}

http::Request boto_s3_put() {
  return boto_request(
      "PUT", "/bucket/dir/a%20b~c%2Bd%3De%26f%20%281%29.txt",
      {{"Content-Type", "text/plain"},
       {"User-Agent", "Boto3/1.43.11 md/Botocore#1.43.11"},
       {"Expect", "100-continue"},
       {"x-amz-checksum-crc32", "DUoRhQ=="},
       {"x-amz-sdk-checksum-algorithm", "CRC32"},
       {"X-Amz-Date", "20240506T070809Z"},
       {"X-Amz-Content-SHA256", "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-west-2/s3/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;"
        "x-amz-sdk-checksum-algorithm, "
        "Signature=e55870e948086e862d2f2fa462ffb143c46a799dd415b9de17288180ab8aa339"},
       {"amz-sdk-invocation-id", "e18846af-8fc3-4a71-910c-7883e99e28e1"},
       {"Content-Length", "11"}},
      "hello world");
}

http::Request boto_s3_list() {
  return boto_request(
      "GET", "/bucket?list-type=2&prefix=a%20b%2F&max-keys=5&encoding-type=url",
      {{"X-Amz-Date", "20240506T070809Z"},
       {"X-Amz-Content-SHA256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-west-2/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=a48cc99dbdfa65f5598acf56881bd5926ad991f835be14b4cbe6d8b2d5bb1d1d"}});
}

http::Request boto_s3_presigned() {
  return boto_request(
      "GET",
      "/bucket/dir/a%20b~c%2Bd%3De%26f.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
      "AKIDEXAMPLE%2F20240506%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20240506T070809Z&X-Amz-"
      "Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "e7aad31c39a22a601d1ebdcfc25a9ce3800674b818058e731e8060bc59c7ff52",
      {});
}

http::Request boto_sts() {
  return boto_request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
       {"X-Amz-Date", "20240506T070809Z"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/sts/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, "
        "Signature=5c71a50597253a51be789206cd49a3a8cc122b6c5d504188995c3afed0394f0b"},
       {"Content-Length", "43"}},
      "Action=GetCallerIdentity&Version=2011-06-15");
}

// What `aws eks get-token` hands to Kubernetes: a presigned STS call that
// also signs x-k8s-aws-id.
http::Request boto_sts_presigned() {
  return boto_request(
      "GET",
      "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-"
      "Credential=AKIDEXAMPLE%2F20240506%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date="
      "20240506T070809Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature="
      "71cf9b3a09d806a058a43ae3618a8d559cf22d295782255ca39f382b696dd75b",
      {{"x-k8s-aws-id", "my-cluster"}});
}

http::Request boto_kms() {
  return boto_request(
      "POST", "/",
      {{"X-Amz-Target", "TrentService.ListKeys"},
       {"Content-Type", "application/x-amz-json-1.1"},
       {"X-Amz-Date", "20240506T070809Z"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/eu-central-1/kms/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        "Signature=dc772a40546514d74e6c117c469a9d51e14efa9535ddea9762831e060e0f761b"},
       {"Content-Length", "12"}},
      R"({"Limit": 3})");
}

AwsError verify_error(const http::Request& req, double now, VerifyOptions options = {},
                      std::string_view secret = kSuiteSecret) {
  auto info = parse_sigv4(req);
  EXPECT_TRUE(info.has_value());
  try {
    verify_sigv4(req, *info, secret, now, options);
  } catch (const AwsError& e) {
    return e;
  }
  ADD_FAILURE() << "request was accepted";
  return AwsError("none", "none", 0);
}

}  // namespace

TEST(SigV4Botocore, AcceptsCapturedRequests) {
  struct Case {
    const char* name;
    http::Request req;
    const char* service;
    const char* region;
    AuthKind kind;
  };
  const Case cases[] = {
      {"s3 put", boto_s3_put(), "s3", "us-west-2", AuthKind::kHeaderV4},
      {"s3 list", boto_s3_list(), "s3", "us-west-2", AuthKind::kHeaderV4},
      {"s3 presigned", boto_s3_presigned(), "s3", "us-west-2", AuthKind::kQueryV4},
      {"sts", boto_sts(), "sts", "us-east-1", AuthKind::kHeaderV4},
      {"sts presigned", boto_sts_presigned(), "sts", "us-east-1", AuthKind::kQueryV4},
      {"kms", boto_kms(), "kms", "eu-central-1", AuthKind::kHeaderV4},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto info = parse_sigv4(c.req);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->malformed, "");
    EXPECT_EQ(info->kind, c.kind);
    EXPECT_EQ(info->access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(info->service, c.service);
    EXPECT_EQ(info->region, c.region);
    EXPECT_NO_THROW(verify_sigv4(c.req, *info, kSuiteSecret, kBotoTime + 30));
    // ... and refuses them under another key.
    EXPECT_THROW(verify_sigv4(c.req, *info, "another-secret", kBotoTime + 30), AwsError);
  }
}

TEST(SigV4Botocore, SignerMatchesBotocore) {
  // Header auth: the KMS call, re-signed by us from its unsigned form.
  http::Request kms = boto_kms();
  const std::string expected(*kms.header("authorization"));
  kms.headers.erase("Authorization");
  kms.headers.erase("Content-Length");  // botocore signs before the length is set
  SignParams p;
  p.region = "eu-central-1";
  p.service = "kms";
  p.time = kBotoTime;
  sign_request(kms, {"AKIDEXAMPLE", kSuiteSecret, ""}, p);
  EXPECT_EQ(kms.header("authorization").value_or(""), expected);

  // Presigned S3 GET: same signature as botocore's URL.
  http::Request get = boto_request("GET", "/bucket/dir/a%20b~c%2Bd%3De%26f.txt", {});
  SignParams s3p;
  s3p.region = "us-west-2";
  s3p.service = "s3";
  s3p.time = kBotoTime;
  s3p.s3_path_rules = true;
  EXPECT_EQ(presign_request(get, {"AKIDEXAMPLE", kSuiteSecret, ""}, s3p, 3600),
            "e7aad31c39a22a601d1ebdcfc25a9ce3800674b818058e731e8060bc59c7ff52");
  EXPECT_EQ(get.target, boto_s3_presigned().target);
}

TEST(SigV4Errors, ClockSkewQueryStyle) {
  const AwsError e = verify_error(boto_sts(), kBotoTime + 16 * 60);
  EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(e.http_status(), 403);
  EXPECT_EQ(e.message(),
            "Signature expired: 20240506T070809Z is now earlier than 20240506T070909Z "
            "(20240506T072409Z - 15 min.)");
  const AwsError future = verify_error(boto_sts(), kBotoTime - 16 * 60);
  EXPECT_EQ(future.message(),
            "Signature not yet current: 20240506T070809Z is still later than 20240506T070709Z "
            "(20240506T065209Z + 15 min.)");
  // Within the window either way is fine.
  auto info = parse_sigv4(boto_sts());
  EXPECT_NO_THROW(verify_sigv4(boto_sts(), *info, kSuiteSecret, kBotoTime + 14 * 60));
  EXPECT_NO_THROW(verify_sigv4(boto_sts(), *info, kSuiteSecret, kBotoTime - 14 * 60));
}

TEST(SigV4Errors, ClockSkewJsonAndS3Style) {
  VerifyOptions json;
  json.style = ErrorStyle::kJson;
  const AwsError e = verify_error(boto_kms(), kBotoTime + 3600, json);
  EXPECT_EQ(e.code(), "InvalidSignatureException");
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_EQ(e.message().rfind("Signature expired: 20240506T070809Z", 0), 0u);

  const AwsError s3 = verify_error(boto_s3_list(), kBotoTime + 3600);
  EXPECT_EQ(s3.code(), "RequestTimeTooSkewed");
  EXPECT_EQ(s3.http_status(), 403);
  EXPECT_EQ(s3.message(),
            "The difference between the request time and the current time is too large.");
}

TEST(SigV4Errors, WrongSignatureMessages) {
  http::Request sts = boto_sts();
  sts.body = "Action=GetCallerIdentity&Version=2011-06-16";
  const AwsError e = verify_error(sts, kBotoTime);
  EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(e.http_status(), 403);
  EXPECT_EQ(e.message().rfind(
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method. Consult the service "
                "documentation for details.",
                0),
            0u);
  EXPECT_NE(e.message().find("The Canonical String for this request should have been"),
            std::string::npos);

  VerifyOptions json;
  json.style = ErrorStyle::kJson;
  const AwsError j = verify_error(boto_kms(), kBotoTime, json, "wrong");
  EXPECT_EQ(j.code(), "InvalidSignatureException");
  EXPECT_EQ(j.http_status(), 400);

  http::Request s3 = boto_s3_list();
  s3.target += "&start-after=x";
  const AwsError s = verify_error(s3, kBotoTime);
  EXPECT_EQ(s.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_EQ(s.message(),
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.");
  EXPECT_TRUE(s.fields().contains("CanonicalRequest"));
  EXPECT_TRUE(s.fields().contains("StringToSign"));
}

TEST(SigV4Errors, S3PayloadHashMismatch) {
  http::Request put = boto_s3_put();
  put.body = "hello World";  // the signature still holds: it signs the claimed hash
  const AwsError e = verify_error(put, kBotoTime);
  EXPECT_EQ(e.code(), "XAmzContentSHA256Mismatch");
  EXPECT_EQ(e.http_status(), 400);
  // Streaming the body elsewhere: the caller turns the check off.
  VerifyOptions lazy;
  lazy.check_payload_hash = false;
  auto info = parse_sigv4(put);
  EXPECT_NO_THROW(verify_sigv4(put, *info, kSuiteSecret, kBotoTime, lazy));
}

TEST(SigV4Errors, Malformed) {
  http::Request r = boto_request(
      "POST", "/",
      {{"X-Amz-Date", "20240506T070809Z"},
       {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/sts/aws4_request"}});
  auto info = parse_sigv4(r);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->access_key_id, "AKIDEXAMPLE");  // the router still learns this much
  EXPECT_EQ(info->service, "sts");
  EXPECT_NE(info->malformed, "");
  const AwsError e = verify_error(r, kBotoTime);
  EXPECT_EQ(e.code(), "IncompleteSignature");
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_NE(e.message().find("Authorization header requires 'Signature' parameter."),
            std::string::npos);
  EXPECT_NE(e.message().find("Authorization header requires 'SignedHeaders' parameter."),
            std::string::npos);

  VerifyOptions json;
  json.style = ErrorStyle::kJson;
  EXPECT_EQ(verify_error(r, kBotoTime, json).code(), "IncompleteSignatureException");

  http::Request s3 = r;
  s3.headers.erase("Authorization");
  s3.headers.emplace("Authorization",
                     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/s3/aws4_request");
  const AwsError se = verify_error(s3, kBotoTime);
  EXPECT_EQ(se.code(), "AuthorizationHeaderMalformed");
  EXPECT_EQ(se.http_status(), 400);

  // Another scheme in Authorization is a malformed claim, not anonymity.
  http::Request bearer = boto_request("GET", "/", {{"Authorization", "Bearer abc"}});
  auto b = parse_sigv4(bearer);
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(b->malformed, "");

  // No date at all.
  http::Request nodate = boto_sts();
  nodate.headers.erase("X-Amz-Date");
  auto nd = parse_sigv4(nodate);
  ASSERT_TRUE(nd.has_value());
  EXPECT_NE(nd->malformed.find("'X-Amz-Date' or a 'Date' header"), std::string::npos);

  // Presigned with a parameter missing.
  http::Request q = boto_request(
      "GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240506%2F"
             "us-east-1%2Fsts%2Faws4_request&X-Amz-Date=20240506T070809Z",
      {});
  const AwsError qe = verify_error(q, kBotoTime);
  EXPECT_EQ(qe.code(), "IncompleteSignature");
}

TEST(SigV4Errors, ScopeDateMustMatchRequestDate) {
  http::Request r = boto_sts();
  r.headers.erase("X-Amz-Date");
  r.headers.emplace("X-Amz-Date", "20240507T070809Z");
  const AwsError e = verify_error(r, kBotoTime + 86400);
  EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(e.message(),
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
            "HTTP: '20240506' != '20240507', from '20240507T070809Z'.");
}

TEST(SigV4Presigned, S3ExpiryAndTampering) {
  const http::Request req = boto_s3_presigned();
  auto info = parse_sigv4(req);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->presigned());
  EXPECT_EQ(info->expires, 3600);
  EXPECT_EQ(info->signed_headers, std::vector<std::string>{"host"});
  EXPECT_NO_THROW(verify_sigv4(req, *info, kSuiteSecret, kBotoTime + 3599));
  // A presigned URL is good for its whole life, not just 15 minutes.
  EXPECT_NO_THROW(verify_sigv4(req, *info, kSuiteSecret, kBotoTime + 1800));

  const AwsError expired = verify_error(req, kBotoTime + 3601);
  EXPECT_EQ(expired.code(), "AccessDenied");
  EXPECT_EQ(expired.message(), "Request has expired");
  EXPECT_EQ(expired.http_status(), 403);

  http::Request other_key = req;
  other_key.target.replace(other_key.target.find("f.txt"), 5, "g.txt");
  EXPECT_EQ(verify_error(other_key, kBotoTime).code(), "SignatureDoesNotMatch");

  http::Request longer = req;
  longer.target.replace(longer.target.find("Expires=3600"), 12, "Expires=7200");
  EXPECT_EQ(verify_error(longer, kBotoTime).code(), "SignatureDoesNotMatch");
}

TEST(SigV4Presigned, OurSignerRoundTrips) {
  const Credentials creds{"AKIAEXAMPLE123", "secret/key+with=chars", "session-token/+="};
  SignParams p;
  p.region = "eu-west-1";
  p.service = "s3";
  p.time = 1700000000;
  p.s3_path_rules = true;
  http::Request r;
  r.method = "GET";
  r.target = "/my-bucket/some%20key/%E2%9C%93.txt?versionId=abc%2Fdef";
  r.headers.emplace("Host", "my-bucket.s3.localhost.localstack.cloud:4566");
  presign_request(r, creds, p, 604800);
  auto info = parse_sigv4(r);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->session_token, "session-token/+=");
  EXPECT_EQ(info->region, "eu-west-1");
  EXPECT_NO_THROW(verify_sigv4(r, *info, creds.secret_key, p.time + 604000));
  EXPECT_EQ(verify_error(r, p.time + 604801, {}, creds.secret_key).code(), "AccessDenied");

  http::Request week_plus = r;
  week_plus.target.replace(week_plus.target.find("Expires=604800"), 14, "Expires=604801");
  const AwsError e = verify_error(week_plus, p.time, {}, creds.secret_key);
  EXPECT_EQ(e.code(), "AuthorizationQueryParametersError");

  // Non-S3 presigning (double-encoded path, payload hash of the empty body).
  http::Request sts;
  sts.method = "GET";
  sts.target = "/?Action=GetCallerIdentity&Version=2011-06-15";
  sts.headers.emplace("Host", "localhost:4566");
  sts.headers.emplace("x-k8s-aws-id", "cluster");
  SignParams sp;
  sp.service = "sts";
  sp.time = 1700000000;
  presign_request(sts, creds, sp, 60);
  auto si = parse_sigv4(sts);
  ASSERT_TRUE(si.has_value());
  EXPECT_NO_THROW(verify_sigv4(sts, *si, creds.secret_key, sp.time + 59));
  const AwsError late = verify_error(sts, sp.time + 61, {}, creds.secret_key);
  EXPECT_EQ(late.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(late.message().rfind("Signature expired", 0), 0u);
  http::Request wrong_cluster = sts;
  wrong_cluster.headers.erase("x-k8s-aws-id");
  wrong_cluster.headers.emplace("x-k8s-aws-id", "other");
  EXPECT_EQ(verify_error(wrong_cluster, sp.time, {}, creds.secret_key).code(),
            "SignatureDoesNotMatch");
}

TEST(SigV4Parse, UnsignedAndLegacy) {
  http::Request anon = boto_request("GET", "/bucket?list-type=2", {});
  EXPECT_FALSE(parse_sigv4(anon).has_value());
  EXPECT_FALSE(parse_sigv4(boto_request("GET", "/", {})).has_value());

  http::Request v2 = boto_request("GET", "/bucket/key",
                                  {{"Authorization", "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="},
                                   {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}});
  auto i2 = parse_sigv4(v2);
  ASSERT_TRUE(i2.has_value());
  EXPECT_EQ(i2->kind, AuthKind::kHeaderV2);
  EXPECT_EQ(i2->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(i2->signature, "frJIUN8DYpKDtOLCwo//yllqDzg=");
  EXPECT_FALSE(i2->is_v4());
  EXPECT_EQ(verify_error(v2, kBotoTime).code(), "IncompleteSignature");

  // botocore's S3 presigned URL when the client is not told to use s3v4.
  http::Request q2 = boto_request(
      "GET",
      "/bucket/dir/a%20b~c%2Bd%3De%26f.txt?AWSAccessKeyId=AKIDEXAMPLE&Signature=aHU%2BkdISY%"
      "2BOM61Go8ZeCvsnW2vs%3D&Expires=1795709360",
      {});
  auto iq = parse_sigv4(q2);
  ASSERT_TRUE(iq.has_value());
  EXPECT_EQ(iq->kind, AuthKind::kQueryV2);
  EXPECT_EQ(iq->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(iq->signature, "aHU+kdISY+OM61Go8ZeCvsnW2vs=");
  EXPECT_EQ(iq->expires, 1795709360);
}

TEST(SigV4Parse, SessionTokenAndDateHeader) {
  // botocore signs with a Date header (and no X-Amz-Date) when the request had one.
  http::Request r = boto_request("POST", "/", {{"Date", "Mon, 06 May 2024 07:08:09 GMT"}},
                                 "Action=GetCallerIdentity&Version=2011-06-15");
  SignParams p;
  p.service = "sts";
  p.time = kBotoTime;
  sign_request(r, {"ASIAEXAMPLE", "s3cr3t", "FQoGZXIvYXdzEJr//////////wEaDEXAMPLE"}, p);
  r.headers.erase("X-Amz-Date");  // leave the Date header as the only date
  auto info = parse_sigv4(r);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->amz_date, "20240506T070809Z");
  EXPECT_EQ(info->session_token, "FQoGZXIvYXdzEJr//////////wEaDEXAMPLE");
  EXPECT_EQ(info->access_key_id, "ASIAEXAMPLE");
}

TEST(SigV4, UnknownKeyErrors) {
  EXPECT_EQ(unknown_access_key_error(ErrorStyle::kQuery, "AKIA1").code(), "InvalidClientTokenId");
  EXPECT_EQ(unknown_access_key_error(ErrorStyle::kQuery, "AKIA1").http_status(), 403);
  EXPECT_EQ(unknown_access_key_error(ErrorStyle::kJson, "AKIA1").code(),
            "UnrecognizedClientException");
  EXPECT_EQ(unknown_access_key_error(ErrorStyle::kS3, "AKIA1").code(), "InvalidAccessKeyId");
}

TEST(SigV4, SigningKeyAndHashes) {
  // AWS's documented derivation example (secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
  // 20120215, us-east-1, iam).
  EXPECT_EQ(hex_encode(signing_key(kSuiteSecret, "20120215", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  // Cached and uncached answers agree; different scopes differ.
  EXPECT_EQ(signing_key(kSuiteSecret, "20120215", "us-east-1", "iam"),
            signing_key(kSuiteSecret, "20120215", "us-east-1", "iam"));
  EXPECT_NE(signing_key(kSuiteSecret, "20120215", "us-east-1", "iam"),
            signing_key(kSuiteSecret, "20120215", "us-east-1", "sts"));
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_encode(hmac_sha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(SigV4, CanonicalUriOfEachPathShape) {
  // The URI line of the canonical request: most paths are used as sent,
  // others normalized (but for S3) and encoded, as SigV4 prescribes.
  auto uri = [](std::string target, bool s3) {
    http::Request req;
    req.method = "GET";
    req.target = std::move(target);
    SigV4Info info;
    info.kind = AuthKind::kHeaderV4;
    const std::string creq = canonical_request(req, info, s3);
    const size_t start = creq.find('\n') + 1;
    return creq.substr(start, creq.find('\n', start) - start);
  };
  const struct {
    std::string path, expected, expected_s3;
  } cases[] = {
      {"/", "/", "/"},
      {"/a-b_c.d~e/F9", "/a-b_c.d~e/F9", "/a-b_c.d~e/F9"},
      {"/a/b/", "/a/b/", "/a/b/"},
      {"/...", "/...", "/..."},
      {"/a//b", "/a/b", "/a//b"},
      {"//", "/", "//"},
      {"/a/./b", "/a/b", "/a/./b"},
      {"/a/../b", "/b", "/a/../b"},
      {"/a/.", "/a", "/a/."},
      {"/a%20b", "/a%2520b", "/a%20b"},
      {"/a b", "/a%20b", "/a%20b"},
      {"/k?x=1", "/k", "/k"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(uri(c.path, false), c.expected) << c.path;
    EXPECT_EQ(uri(c.path, true), c.expected_s3) << c.path;
  }
}

TEST(SigV4, CanonicalHeadersInTheClientsOrder) {
  // Signed names sorted (as SigV4 asks) or not, repeated headers joined with
  // commas, and mixed-case names in the request: each listed name gets its
  // values, in the order the client listed the names.
  http::Request req;
  req.method = "GET";
  req.target = "/";
  req.headers.emplace("Host", "example.com");
  req.headers.emplace("X-Amz-Date", "20150830T123600Z");
  req.headers.emplace("My-Header", "b");
  req.headers.emplace("my-header", " a  c ");
  req.headers.emplace("Zeta", "z");
  auto headers_block = [&](std::vector<std::string> names) {
    SigV4Info info;
    info.kind = AuthKind::kHeaderV4;
    info.signed_headers = std::move(names);
    const std::string creq = canonical_request(req, info, false);
    const size_t start = creq.find("\n\n") + 2;  // after method, URI and (empty) query
    return creq.substr(start, creq.find("\n\n", start) + 1 - start);
  };
  EXPECT_EQ(headers_block({"host", "my-header", "x-amz-date"}),
            "host:example.com\nmy-header:b,a c\nx-amz-date:20150830T123600Z\n");
  EXPECT_EQ(headers_block({"x-amz-date", "my-header", "host"}),
            "x-amz-date:20150830T123600Z\nmy-header:b,a c\nhost:example.com\n");
  EXPECT_EQ(headers_block({"host", "missing", "zeta"}), "host:example.com\nmissing:\nzeta:z\n");
  EXPECT_EQ(headers_block({"host", "host"}), "host:example.com\nhost:example.com\n");
}

TEST(SigV4, HeaderValuesTrimmedAsTrimallSays) {
  // Runs of whitespace (tabs, folded lines) become one space, at any place
  // in words longer and shorter than eight characters; other control
  // characters and bytes above 0x7f are part of the value.
  const std::string control = std::string("a\x01") + "b\x7f" + "\xc3\xa9" + "\x1f!";
  const struct {
    std::string raw, canonical;
  } cases[] = {
      {"plain", "plain"},
      {"  eightchr  ", "eightchr"},
      {"application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded; charset=utf-8"},
      {"abcdefghijklmnop\t \tqrstuvwxyz0123456789", "abcdefghijklmnop qrstuvwxyz0123456789"},
      {"a\r\n b\v\fc", "a b c"},
      {"sixteen-chars-xy       sixteen-chars-yz", "sixteen-chars-xy sixteen-chars-yz"},
      {control + "  " + control, control + " " + control},
      {"\t", ""},
  };
  for (const auto& c : cases) {
    http::Request req;
    req.method = "GET";
    req.target = "/";
    req.headers.emplace("X-Test", c.raw);
    SigV4Info info;
    info.kind = AuthKind::kHeaderV4;
    info.signed_headers = {"x-test"};
    const std::string creq = canonical_request(req, info, false);
    EXPECT_NE(creq.find("\nx-test:" + c.canonical + "\n\n"), std::string::npos) << c.raw << "\n" << creq;
  }
}

TEST(SigV4, VerificationIsCheap) {
  // Not a benchmark: a guard against accidental quadratic work or per-call
  // OpenSSL fetches on the hot path.
  const http::Request req = boto_kms();
  const auto info = parse_sigv4(req);
  ASSERT_TRUE(info.has_value());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) verify_sigv4(req, *parse_sigv4(req), kSuiteSecret, kBotoTime);
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() -
                                                             start)
                        .count() /
                    2000;
  RecordProperty("verify_us", std::to_string(us));
  EXPECT_LT(us, 500.0);
}

// S3 SigV2, as botocore 1.43 signs it (signature_version='s3', Date frozen at
// Mon, 06 May 2024 07:08:09 GMT), and the presigned URL boto3 produces by
// default for a custom endpoint.
TEST(SigV2S3, BotocoreRequests) {
  const http::Request put = boto_request(
      "PUT", "/bucket/k%20e%2By.txt",
      {{"Content-Type", "text/plain"},
       {"x-amz-meta-Color", "blue"},
       {"Expect", "100-continue"},
       {"x-amz-checksum-crc32", "2JMqrA=="},
       {"x-amz-sdk-checksum-algorithm", "CRC32"},
       {"x-amz-security-token", "TOKEN/+="},
       {"Date", "Mon, 06 May 2024 07:08:09 GMT"},
       {"Authorization", "AWS AKIDEXAMPLE:xTLuRqHJWK8/+gqIfpZxKfItZ4w="},
       {"amz-sdk-invocation-id", "45a2118e-5de6-4d92-8415-3b5d5d3ca46f"},
       {"Content-Length", "2"}},
      "hi");
  const http::Request acl = boto_request(
      "GET", "/bucket/k?acl&versionId=v1",
      {{"x-amz-security-token", "TOKEN/+="},
       {"Date", "Mon, 06 May 2024 07:08:09 GMT"},
       {"Authorization", "AWS AKIDEXAMPLE:8rQxCpL9NcBpHR8dbiygOIh0/gM="}});
  const http::Request presigned = boto_request(
      "GET",
      "/bucket/a%20b.txt?response-content-type=text%2Fcsv&AWSAccessKeyId=AKIDEXAMPLE&Signature="
      "4qfHXb1IULbHNt1Nmfbamp87%2FY0%3D&Expires=1714979889",
      {});
  for (const auto* r : {&put, &acl, &presigned}) {
    SCOPED_TRACE(r->target);
    auto info = parse_sigv4(*r);
    ASSERT_TRUE(info.has_value());
    EXPECT_FALSE(info->is_v4());
    EXPECT_EQ(info->access_key_id, "AKIDEXAMPLE");
    EXPECT_NO_THROW(verify_s3_sigv2(*r, *info, kSuiteSecret, kBotoTime + 60));
    try {
      verify_s3_sigv2(*r, *info, "wrong", kBotoTime + 60);
      ADD_FAILURE() << "wrong key accepted";
    } catch (const AwsError& e) {
      EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
    }
  }
  EXPECT_EQ(parse_sigv4(put)->session_token, "TOKEN/+=");

  http::Request other = acl;
  other.target = "/bucket/k?acl&versionId=v2";
  try {
    verify_s3_sigv2(other, *parse_sigv4(other), kSuiteSecret, kBotoTime);
    ADD_FAILURE() << "changed sub-resource accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
  }
  try {
    verify_s3_sigv2(presigned, *parse_sigv4(presigned), kSuiteSecret, kBotoTime + 601);
    ADD_FAILURE() << "expired URL accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "AccessDenied");
    EXPECT_EQ(e.message(), "Request has expired");
  }
  try {
    verify_s3_sigv2(put, *parse_sigv4(put), kSuiteSecret, kBotoTime + 3600);
    ADD_FAILURE() << "old request accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "RequestTimeTooSkewed");
  }
}
