#include "http/path_template.h"

#include <gtest/gtest.h>

#include "http/http_routes.h"
#include "server/services.h"

namespace compliance {
namespace {

PathTemplate Parsed(const std::string& text) {
  auto parsed = PathTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *parsed;
}

TEST(PathTemplate, BindsAMultiSegmentVariableAndItsVerb) {
  const PathTemplate review = Parsed("/v1/{name=frameworks/*/requirements/*}:review");
  auto bound = review.Match("/v1/frameworks/iso27001-2022/requirements/5.1.a:review");
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(*bound, (PathBindings{{"name", "frameworks/iso27001-2022/requirements/5.1.a"}}));
  EXPECT_FALSE(review.Match("/v1/frameworks/iso27001-2022/requirements/5.1.a").has_value());
  EXPECT_FALSE(review.Match("/v1/frameworks/iso27001-2022/requirements/5.1.a:close").has_value());
  EXPECT_FALSE(review.Match("/v1/frameworks/iso27001-2022/5.1.a:review").has_value());
}

TEST(PathTemplate, ASingleWildcardTakesOneNonEmptySegment) {
  const PathTemplate get = Parsed("/v1/{name=evidence/*}");
  EXPECT_EQ(get.Match("/v1/evidence/abc")->front().second, "evidence/abc");
  EXPECT_FALSE(get.Match("/v1/evidence/abc/def").has_value());
  EXPECT_FALSE(get.Match("/v1/evidence/").has_value());
  EXPECT_FALSE(get.Match("/v1/evidence").has_value());
  EXPECT_FALSE(get.Match("v1/evidence/abc").has_value());
  const PathTemplate list = Parsed("/v1/frameworks/{framework}/requirements");
  EXPECT_EQ(*list.Match("/v1/frameworks/iso27001-2022/requirements"),
            (PathBindings{{"framework", "iso27001-2022"}}));
}

TEST(PathTemplate, SegmentsArePercentDecodedAfterSplitting) {
  const PathTemplate get = Parsed("/v1/{name=evidence/*}");
  EXPECT_EQ(get.Match("/v1/evidence/a%2Fb%20c")->front().second, "evidence/a/b c");
  EXPECT_FALSE(get.Match("/v1/evidence/a%2").has_value());
  EXPECT_FALSE(get.Match("/v1/evidence/a%zz").has_value());
  EXPECT_FALSE(get.Match("/v1/%65vidence/x%").has_value());
  EXPECT_EQ(get.Match("/v1/%65vidence/x")->front().second, "evidence/x");
}

TEST(PathTemplate, TheRestWildcardTakesEveryRemainingSegment) {
  const PathTemplate files = Parsed("/v1/{path=files/**}");
  EXPECT_EQ(files.Match("/v1/files/a/b/c")->front().second, "files/a/b/c");
  EXPECT_FALSE(files.Match("/v1/files").has_value());
}

TEST(PathTemplate, RefusesMalformedTemplates) {
  for (const char* text : {"v1/x", "/v1/{name", "/v1/{=x/*}", "/v1/{name=**}/x", "/v1/x:", "/v1//x",
                           "/v1/a*b", "/v1/{a}/{b=c/*}:v/x"}) {
    EXPECT_FALSE(PathTemplate::Parse(text).ok()) << text;
  }
}

TEST(HttpRoutes, EveryRpcOfTheContractHasARoute) {
  auto routes = HttpRoutesOf(Services::Descriptors());
  ASSERT_TRUE(routes.ok()) << routes.status();
  for (const auto* service : Services::Descriptors()) {
    if (service->full_name() == "grpc.health.v1.Health") continue;  // /healthz, by hand
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      bool routed = false;
      for (const auto& route : *routes) routed = routed || route.method == method;
      EXPECT_TRUE(routed) << method->full_name() << " has no google.api.http rule";
    }
  }
}

TEST(HttpRoutes, FindsTheRouteOfAVerbAndPathAndTellsAWrongVerb) {
  auto routes = HttpRoutesOf(Services::Descriptors());
  ASSERT_TRUE(routes.ok());
  auto complete = FindRoute(*routes, "POST", "/v1/actions/123:complete");
  ASSERT_NE(complete.route, nullptr);
  EXPECT_EQ(complete.route->method->name(), "CompleteAction");
  EXPECT_EQ(complete.bindings, (PathBindings{{"name", "actions/123"}}));
  EXPECT_EQ(FindRoute(*routes, "POST", "/v1/evidence:batchCreate").route->method->name(),
            "BatchCreateEvidence");
  EXPECT_EQ(FindRoute(*routes, "POST", "/v1/evidence").route->method->name(), "CreateEvidence");
  EXPECT_EQ(FindRoute(*routes, "GET", "/v1/requirements").route->method->name(),
            "ListRequirements");
  auto wrong = FindRoute(*routes, "DELETE", "/v1/actions/123");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.other_verb);
  auto none = FindRoute(*routes, "GET", "/v2/actions");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_FALSE(none.other_verb);
}

}  // namespace
}  // namespace compliance
