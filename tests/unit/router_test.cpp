#include <gtest/gtest.h>

#include "protocol/router.hpp"

using namespace terrarium;
using namespace terrarium::protocol;

namespace {

http::Request make(std::string method, std::string target, std::string host,
                   std::vector<std::pair<std::string, std::string>> headers = {},
                   std::string body = "") {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers.emplace("Host", std::move(host));
  for (auto& [k, v] : headers) r.headers.emplace(k, v);
  r.body = std::move(body);
  return r;
}

const RouterOptions kOptions{{"s3.localhost"}};

}  // namespace

TEST(Router, QueryActionWithVersionAndNoSignature) {
  auto r = make("POST", "/", "localhost:4566", {{"Content-Type", "application/x-www-form-urlencoded"}},
                "Action=AssumeRoleWithWebIdentity&Version=2011-06-15");
  Route route = route_request(r, "", kOptions);
  ASSERT_NE(route.service, nullptr);
  EXPECT_EQ(route.service->service, "sts");
  ASSERT_NE(route.operation, nullptr);
  EXPECT_EQ(route.operation->name, "AssumeRoleWithWebIdentity");
}

TEST(Router, SigningNameAliases) {
  auto r = make("POST", "/", "localhost", {{"Content-Type", "application/x-www-form-urlencoded"}},
                "Action=DescribeLoadBalancers&Version=2015-12-01");
  EXPECT_EQ(route_request(r, "elasticloadbalancing", kOptions).service->service, "elbv2");
}

TEST(Router, CloudWatchSpeaksThreeProtocols) {
  auto cbor = make("POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics", "localhost",
                   {{"smithy-protocol", "rpc-v2-cbor"}});
  Route a = route_request(cbor, "monitoring", kOptions);
  EXPECT_EQ(a.family, "smithy-rpc-v2-cbor");
  EXPECT_EQ(a.operation_name, "ListMetrics");
  auto json = make("POST", "/", "localhost", {{"X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics"}});
  EXPECT_EQ(route_request(json, "monitoring", kOptions).family, "json");
  auto query = make("POST", "/", "localhost", {{"Content-Type", "application/x-www-form-urlencoded"}},
                    "Action=ListMetrics&Version=2010-08-01");
  Route c = route_request(query, "monitoring", kOptions);
  EXPECT_EQ(c.family, "query");
  EXPECT_EQ(c.operation_name, "ListMetrics");
}

TEST(Router, S3VirtualHostedAndPathStyleAgree) {
  Route v = route_request(make("GET", "/?list-type=2", "photos.s3.localhost:4566"), "", kOptions);
  EXPECT_EQ(v.operation_name, "ListObjectsV2");
  EXPECT_EQ(v.path_style_target, "/photos?list-type=2");
  EXPECT_EQ(v.virtual_host_bucket, "photos");
  Route p = route_request(make("GET", "/photos?list-type=2", "localhost:4566"), "s3", kOptions);
  EXPECT_EQ(p.operation_name, "ListObjectsV2");
  Route k = route_request(make("GET", "/a/b.txt", "photos.s3.localhost"), "", kOptions);
  EXPECT_EQ(k.operation_name, "GetObject");
  EXPECT_EQ(k.path_style_target, "/photos/a/b.txt");
}

TEST(Router, UnknownOperationKeepsItsName) {
  auto r = make("POST", "/", "localhost", {{"X-Amz-Target", "TrentService.NoSuchThing"}});
  Route route = route_request(r, "kms", kOptions);
  EXPECT_EQ(route.service->service, "kms");
  EXPECT_EQ(route.operation, nullptr);
  EXPECT_EQ(route.operation_name, "NoSuchThing");
}
