#include "protocol/rest_bindings.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/aws_error.hpp"

namespace terrarium::protocol::rest {
namespace {

namespace json = boost::json;

using Query = std::vector<std::pair<std::string, std::string>>;

http::Request make_request(std::string method, std::string target,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  for (auto& [k, v] : headers) r.headers.emplace(k, v);
  return r;
}

TEST(RestUriMatch, LabelsAndLiterals) {
  auto m = match_uri("/2015-03-31/functions/{FunctionName}/invocations",
                     "/2015-03-31/functions/my-fn/invocations", {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("FunctionName"), "my-fn");
  EXPECT_FALSE(match_uri("/2015-03-31/functions/{FunctionName}/invocations",
                         "/2015-03-31/functions/my-fn/configuration", {}));
  // A label is never empty and never spans a '/'.
  EXPECT_FALSE(match_uri("/clusters/{name}", "/clusters/", {}));
  EXPECT_FALSE(match_uri("/clusters/{name}", "/clusters/a/b", {}));
}

TEST(RestUriMatch, LabelsArePercentDecodedAfterMatching) {
  auto m = match_uri("/x/{foo}/y/{bar+}", "/x/hello%2Fescape/y/there/guy%20s", {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("foo"), "hello/escape");
  EXPECT_EQ(m->at("bar"), "there/guy s");
}

TEST(RestUriMatch, GreedyLabelKeepsSlashes) {
  auto m = match_uri("/{Bucket}/{Key+}", "/bucket/dir/", {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("Bucket"), "bucket");
  EXPECT_EQ(m->at("Key"), "dir/");
  m = match_uri("/{Bucket}/{Key+}", "/bucket//leading", {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("Key"), "/leading");
  EXPECT_FALSE(match_uri("/{Bucket}/{Key+}", "/bucket", {}));
  EXPECT_FALSE(match_uri("/{Bucket}/{Key+}", "/bucket/", {}));
}

TEST(RestUriMatch, TrailingSlashTolerated) {
  EXPECT_TRUE(match_uri("/{Bucket}", "/bucket/", {}));
  EXPECT_TRUE(match_uri("/2015-03-31/functions/", "/2015-03-31/functions", {}));
  EXPECT_TRUE(match_uri("/", "", {}));
}

TEST(RestUriMatch, QueryLiterals) {
  EXPECT_TRUE(match_uri("/{Bucket}?uploads", "/b", Query{{"uploads", ""}}));
  EXPECT_FALSE(match_uri("/{Bucket}?uploads", "/b", Query{}));
  EXPECT_TRUE(match_uri("/{Bucket}?list-type=2", "/b", Query{{"list-type", "2"}}));
  EXPECT_FALSE(match_uri("/{Bucket}?list-type=2", "/b", Query{{"list-type", "1"}}));
  // x-id may be absent, but must not name another operation.
  EXPECT_TRUE(match_uri("/{Bucket}/{Key+}?x-id=GetObject", "/b/k", Query{}));
  EXPECT_TRUE(match_uri("/{Bucket}/{Key+}?x-id=GetObject", "/b/k", Query{{"x-id", "GetObject"}}));
  EXPECT_FALSE(match_uri("/{Bucket}/{Key+}?x-id=GetObject", "/b/k", Query{{"x-id", "ListParts"}}));
}

TEST(RestUriMatch, RegexCharactersAreLiteral) {
  EXPECT_TRUE(match_uri("/ReDosLiteral/{str}/(a+)+", "/ReDosLiteral/abc/(a+)+", {}));
  EXPECT_FALSE(match_uri("/ReDosLiteral/{str}/(a+)+", "/ReDosLiteral/abc/aaa", {}));
}

TEST(RestUriMatch, Specificity) {
  EXPECT_GT(uri_template_specificity("/{Bucket}?acl"), uri_template_specificity("/{Bucket}"));
  EXPECT_GT(uri_template_specificity("/a/{x}/c"), uri_template_specificity("/a/{x+}"));
  EXPECT_GT(uri_template_specificity("/a/b"), uri_template_specificity("/a/{x}"));
  EXPECT_EQ(uri_template_specificity("/{Bucket}/{Key+}?x-id=GetObject"),
            uri_template_specificity("/{Bucket}/{Key+}"));
}

TEST(RestHeaderList, SplitsQuotedItems) {
  auto parts = split_header_list(R"("b,c", "\"def\"", a)");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "b,c");
  EXPECT_EQ(parts[1], "\"def\"");
  EXPECT_EQ(parts[2], "a");
  EXPECT_TRUE(split_header_list("").empty());
  EXPECT_EQ(split_header_list("a,,b").size(), 3u);
}

TEST(RestScalars, TextRoundTrip) {
  Shape integer{{"type", "integer"}};
  Shape dbl{{"type", "double"}};
  Shape boolean{{"type", "boolean"}};
  Shape ts{{"type", "timestamp"}};
  EXPECT_EQ(text_to_scalar(integer, nullptr, " 42 ", "rfc822")->as_int64(), 42);
  EXPECT_FALSE(text_to_scalar(integer, nullptr, "abc", "rfc822"));
  EXPECT_FALSE(text_to_scalar(integer, nullptr, "3000000000", "rfc822"));
  EXPECT_TRUE(std::isnan(text_to_scalar(dbl, nullptr, "NaN", "rfc822")->as_double()));
  EXPECT_EQ(text_to_scalar(boolean, nullptr, "false", "rfc822")->as_bool(), false);
  EXPECT_FALSE(text_to_scalar(boolean, nullptr, "yes", "rfc822"));
  EXPECT_EQ(text_to_scalar(ts, nullptr, "Mon, 16 Dec 2019 23:48:18 GMT", "rfc822")->as_int64(),
            1576540098);
  EXPECT_EQ(scalar_to_text(ts, nullptr, Value(1576540098), "rfc822"),
            "Mon, 16 Dec 2019 23:48:18 GMT");
  EXPECT_EQ(scalar_to_text(ts, nullptr, Value(1576540098), "iso8601"), "2019-12-16T23:48:18Z");
  json::object epoch_ref{{"shape", "T"}, {"timestampFormat", "unixTimestamp"}};
  EXPECT_EQ(scalar_to_text(ts, &epoch_ref, Value(1576540098), "rfc822"), "1576540098");
  EXPECT_EQ(scalar_to_text(dbl, nullptr, Value(1.1), "rfc822"), "1.1");
}

TEST(RestChunked, DecodesSignedAndTrailerBodies) {
  auto r = make_request("PUT", "/b/k", {{"Content-Encoding", "aws-chunked"}});
  r.body = "3\r\nabc\r\n0\r\n\r\n";
  EXPECT_EQ(decoded_body(r), "abc");
  r.body = "garbage";
  EXPECT_THROW(decoded_body(r), AwsError);
  // Already decoded upstream: the body has the announced decoded length.
  r.headers.emplace("x-amz-decoded-content-length", "3");
  r.body = "abc";
  EXPECT_EQ(decoded_body(r), "abc");
  r.body = "3\r\nabc\r\n0\r\n\r\n";
  EXPECT_EQ(decoded_body(r), "abc");
  r.body = "2\r\nab\r\n0\r\n\r\n";  // shorter than announced
  EXPECT_THROW(decoded_body(r), AwsError);
}

// ---------------------------------------------------------------------------
// Routing against the embedded models.

std::string route(const char* service, const char* method, const char* target,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
  const ServiceModel* model = embedded_model(service);
  if (!model) return "<no model>";
  auto m = find_operation(*model, make_request(method, target, std::move(headers)));
  return m ? m->operation->name : "<none>";
}

TEST(RestRouting, S3) {
  if (!embedded_model("s3")) GTEST_SKIP() << "s3 model not embedded";
  EXPECT_EQ(route("s3", "GET", "/"), "ListBuckets");
  EXPECT_EQ(route("s3", "GET", "/b"), "ListObjects");
  EXPECT_EQ(route("s3", "GET", "/b/"), "ListObjects");
  EXPECT_EQ(route("s3", "GET", "/b?list-type=2&prefix=x"), "ListObjectsV2");
  EXPECT_EQ(route("s3", "GET", "/b?acl"), "GetBucketAcl");
  EXPECT_EQ(route("s3", "GET", "/b?location"), "GetBucketLocation");
  EXPECT_EQ(route("s3", "GET", "/b?versioning"), "GetBucketVersioning");
  EXPECT_EQ(route("s3", "GET", "/b?uploads"), "ListMultipartUploads");
  EXPECT_EQ(route("s3", "GET", "/b?versions"), "ListObjectVersions");
  EXPECT_EQ(route("s3", "PUT", "/b"), "CreateBucket");
  EXPECT_EQ(route("s3", "PUT", "/b?tagging"), "PutBucketTagging");
  EXPECT_EQ(route("s3", "DELETE", "/b"), "DeleteBucket");
  EXPECT_EQ(route("s3", "HEAD", "/b"), "HeadBucket");
  EXPECT_EQ(route("s3", "POST", "/b?delete"), "DeleteObjects");
  EXPECT_EQ(route("s3", "GET", "/b/k"), "GetObject");
  EXPECT_EQ(route("s3", "GET", "/b/dir/k.txt?x-id=GetObject"), "GetObject");
  EXPECT_EQ(route("s3", "GET", "/b/k?uploadId=u"), "ListParts");
  EXPECT_EQ(route("s3", "GET", "/b/k?tagging"), "GetObjectTagging");
  EXPECT_EQ(route("s3", "HEAD", "/b/k"), "HeadObject");
  EXPECT_EQ(route("s3", "PUT", "/b/k"), "PutObject");
  EXPECT_EQ(route("s3", "PUT", "/b/k", {{"x-amz-copy-source", "/o/k"}}), "CopyObject");
  EXPECT_EQ(route("s3", "PUT", "/b/k?partNumber=1&uploadId=u"), "UploadPart");
  EXPECT_EQ(route("s3", "PUT", "/b/k?partNumber=1&uploadId=u", {{"x-amz-copy-source", "/o/k"}}),
            "UploadPartCopy");
  EXPECT_EQ(route("s3", "POST", "/b/k?uploads"), "CreateMultipartUpload");
  EXPECT_EQ(route("s3", "POST", "/b/k?uploadId=u"), "CompleteMultipartUpload");
  EXPECT_EQ(route("s3", "DELETE", "/b/k"), "DeleteObject");
  EXPECT_EQ(route("s3", "DELETE", "/b/k?uploadId=u"), "AbortMultipartUpload");
}

TEST(RestRouting, LambdaEksRoute53CloudFront) {
  if (embedded_model("lambda")) {
    EXPECT_EQ(route("lambda", "GET", "/2015-03-31/functions/"), "ListFunctions");
    EXPECT_EQ(route("lambda", "GET", "/2015-03-31/functions"), "ListFunctions");
    EXPECT_EQ(route("lambda", "POST", "/2015-03-31/functions"), "CreateFunction");
    EXPECT_EQ(route("lambda", "GET", "/2015-03-31/functions/f"), "GetFunction");
    EXPECT_EQ(
        route("lambda", "GET",
              "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af"),
        "GetFunction");
    EXPECT_EQ(route("lambda", "GET", "/2015-03-31/functions/f/configuration"),
              "GetFunctionConfiguration");
    EXPECT_EQ(route("lambda", "POST", "/2015-03-31/functions/f/invocations"), "Invoke");
  }
  if (embedded_model("eks")) {
    EXPECT_EQ(route("eks", "GET", "/clusters"), "ListClusters");
    EXPECT_EQ(route("eks", "GET", "/clusters/c"), "DescribeCluster");
    EXPECT_EQ(route("eks", "GET", "/clusters/c/node-groups"), "ListNodegroups");
    EXPECT_EQ(route("eks", "POST", "/clusters/c/node-groups"), "CreateNodegroup");
    EXPECT_EQ(route("eks", "GET", "/clusters/c/node-groups/n"), "DescribeNodegroup");
  }
  if (embedded_model("route53")) {
    EXPECT_EQ(route("route53", "GET", "/2013-04-01/hostedzone"), "ListHostedZones");
    EXPECT_EQ(route("route53", "GET", "/2013-04-01/hostedzone/Z1"), "GetHostedZone");
    EXPECT_EQ(route("route53", "POST", "/2013-04-01/hostedzone/Z1/rrset/"),
              "ChangeResourceRecordSets");
    EXPECT_EQ(route("route53", "GET", "/2013-04-01/hostedzone/Z1/rrset"), "ListResourceRecordSets");
  }
  if (embedded_model("cloudfront")) {
    EXPECT_EQ(route("cloudfront", "GET", "/2020-05-31/distribution"), "ListDistributions");
    EXPECT_EQ(route("cloudfront", "GET", "/2020-05-31/distribution/E1/config"),
              "GetDistributionConfig");
  }
}

// Every operation of every REST model in scope, given a request built from
// its own template and required bindings, routes back to itself.
std::string synthesize_target(const Operation& op) {
  std::string tmpl = op.request_uri;
  std::string path = tmpl.substr(0, tmpl.find('?'));
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '{') {
      out.push_back(path[i]);
      continue;
    }
    const auto close = path.find('}', i);
    const bool greedy = path[close - 1] == '+';
    out += greedy ? "some/key" : "label";
    i = close;
  }
  std::string query = tmpl.find('?') == std::string::npos ? "" : tmpl.substr(tmpl.find('?') + 1);
  return query.empty() ? out : out + "?" + query;
}

TEST(RestRouting, EveryOperationRoutesToItself) {
  for (const char* service : {"s3", "lambda", "eks", "route53", "cloudfront"}) {
    const ServiceModel* model = embedded_model(service);
    if (!model) continue;
    for (const auto& op : model->operations()) {
      // Same method and path as ListBuckets; only the endpoint host differs.
      if (op.name == "ListDirectoryBuckets") continue;
      // Deprecated twins (GetBucketLifecycle) yield to the current operation.
      if (op.definition->contains("deprecated")) continue;
      http::Request request = make_request(op.http_method, synthesize_target(op));
      if (op.input) {
        const auto& members = op.input->at("members").as_object();
        if (const auto* required = op.input->if_contains("required")) {
          for (const auto& name_v : required->as_array()) {
            const auto& ref = members.at(name_v.as_string()).as_object();
            const auto* loc = ref.if_contains("location");
            if (!loc) continue;
            const std::string wire(ref.contains("locationName") ? ref.at("locationName").as_string()
                                                                : name_v.as_string());
            if (loc->as_string() == "querystring")
              request.target +=
                  (request.target.find('?') == std::string::npos ? "?" : "&") + wire + "=1";
            else if (loc->as_string() == "header")
              request.headers.emplace(wire, "1");
          }
        }
      }
      auto m = find_operation(*model, request);
      ASSERT_TRUE(m) << service << " " << op.name << " " << request.target;
      EXPECT_EQ(m->operation->name, op.name)
          << service << " " << op.http_method << " " << request.target;
    }
  }
}

}  // namespace
}  // namespace terrarium::protocol::rest
