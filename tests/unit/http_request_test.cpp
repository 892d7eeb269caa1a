#include "http/http_request.h"

#include <gtest/gtest.h>

#include "compliance/v1/action.pb.h"
#include "compliance/v1/audit.pb.h"
#include "compliance/v1/evidence.pb.h"
#include "compliance/v1/requirement.pb.h"
#include "http/http_response.h"
#include "server/services.h"

namespace compliance {
namespace {

class HttpRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = HttpRoutesOf(Services::Descriptors());
    ASSERT_TRUE(built.ok()) << built.status();
    routes_ = *std::move(built);
  }

  // Builds `request` as the gateway would for `verb path?query` with `body`.
  absl::Status Build(const std::string& verb, const std::string& target, const std::string& body,
                     google::protobuf::Message& request, const std::string& if_match = "") {
    const size_t question = target.find('?');
    const RouteMatch match = FindRoute(routes_, verb, target.substr(0, question));
    EXPECT_NE(match.route, nullptr) << verb << " " << target;
    if (!match.route) return absl::NotFoundError("no route");
    auto query = ParseQuery(question == std::string::npos ? "" : target.substr(question + 1));
    if (!query.ok()) return query.status();
    return BuildHttpRequest(*match.route, {match.bindings, *query, body, if_match}, request);
  }

  std::vector<HttpRoute> routes_;
};

TEST_F(HttpRequestTest, TheBodyFillsItsFieldAndTheQueryTheRest) {
  v1::CreateEvidenceRequest request;
  ASSERT_TRUE(Build("POST", "/v1/evidence?requestId=r-1",
                    R"({"title": "Policy", "kind": "EVIDENCE_KIND_POLICY",
                        "labels": {"team": "isms"}})",
                    request)
                  .ok());
  EXPECT_EQ(request.request_id(), "r-1");
  EXPECT_EQ(request.evidence().title(), "Policy");
  EXPECT_EQ(request.evidence().kind(), v1::EVIDENCE_KIND_POLICY);
  EXPECT_EQ(request.evidence().labels().at("team"), "isms");
}

TEST_F(HttpRequestTest, QueryParametersTakeJsonOrProtoNamesOfAnyScalarType) {
  v1::ListActionsRequest request;
  ASSERT_TRUE(Build("GET",
                    "/v1/actions?page_size=7&overdueOnly=true&state=ACTION_STATE_OPEN"
                    "&owner=ceo%40example.com&requirement=a+b",
                    "", request)
                  .ok());
  EXPECT_EQ(request.page_size(), 7);
  EXPECT_TRUE(request.overdue_only());
  EXPECT_EQ(request.state(), v1::ACTION_STATE_OPEN);
  EXPECT_EQ(request.owner(), "ceo@example.com");
  EXPECT_EQ(request.requirement(), "a b");
  v1::ListActionsRequest numbered;
  ASSERT_TRUE(Build("GET", "/v1/actions?state=2", "", numbered).ok());
  EXPECT_EQ(numbered.state(), v1::ACTION_STATE_COMPLETED);
  v1::GetInclusionProofRequest proof;
  ASSERT_TRUE(
      Build("GET", "/v1/inclusionProof?sequence=9007199254740993&treeSize=2", "", proof).ok());
  EXPECT_EQ(proof.sequence(), 9007199254740993);
}

TEST_F(HttpRequestTest, BadParametersAndBodiesNameTheirField) {
  v1::ListActionsRequest list;
  const auto refused = [&](const std::string& target, const std::string& field) {
    v1::ListActionsRequest request;
    const absl::Status status = Build("GET", target, "", request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << target;
    EXPECT_EQ(status.message().substr(0, field.size() + 2), field + ": ") << status.message();
  };
  refused("/v1/actions?colour=red", "colour");
  refused("/v1/actions?pageSize=x", "page_size");
  refused("/v1/actions?overdueOnly=yes", "overdue_only");
  refused("/v1/actions?pageSize=1&pageSize=2", "page_size");
  refused("/v1/actions?owner=%ZZ", "query");
  refused("/v1/actions?owner=%FF", "owner");
  v1::CreateEvidenceRequest create;
  const absl::Status body = Build("POST", "/v1/evidence", R"({"title": 5})", create);
  EXPECT_EQ(body.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(body.message().substr(0, 15), "evidence.title:") << body.message();
  v1::CreateEvidenceRequest in_query;
  EXPECT_EQ(Build("POST", "/v1/evidence?evidence.title=x", "{}", in_query).message(),
            "evidence.title: belongs in the body, not the query");
  v1::GetEvidenceRequest get;
  EXPECT_EQ(Build("GET", "/v1/evidence/abc", "{}", get).message(),
            "body: this method takes no body");
}

TEST_F(HttpRequestTest, ThePathSetsItsFieldAndRefusesABodyThatSaysOtherwise) {
  v1::ReviewRequirementRequest review;
  ASSERT_TRUE(Build("POST", "/v1/frameworks/iso27001-2022/requirements/5.1.a:review",
                    R"({"conformity": "CONFORMITY_CONFORMING"})", review)
                  .ok());
  EXPECT_EQ(review.name(), "frameworks/iso27001-2022/requirements/5.1.a");
  v1::ReviewRequirementRequest contradicted;
  EXPECT_EQ(Build("POST", "/v1/frameworks/iso27001-2022/requirements/5.1.a:review",
                  R"({"name": "frameworks/iso27001-2022/requirements/5.1.b"})", contradicted)
                .message(),
            "name: differs between the path and the body");
  v1::ReviewRequirementRequest by_query;
  EXPECT_EQ(
      Build("POST", "/v1/frameworks/iso27001-2022/requirements/5.1.a:review?etag=x", "{}", by_query)
          .message(),
      "etag: belongs in the body, not the query");
}

TEST_F(HttpRequestTest, APatchWithoutAMaskUpdatesTheFieldsItsBodyNames) {
  v1::UpdateRequirementRequest update;
  ASSERT_TRUE(Build("PATCH", "/v1/frameworks/iso27001-2022/requirements/5.1.a",
                    R"({"owner": "", "review_interval": "86400s", "etag": "r1",
                        "name": "frameworks/iso27001-2022/requirements/5.1.a"})",
                    update)
                  .ok());
  EXPECT_EQ(update.requirement().name(), "frameworks/iso27001-2022/requirements/5.1.a");
  EXPECT_EQ(std::vector<std::string>(update.update_mask().paths().begin(),
                                     update.update_mask().paths().end()),
            (std::vector<std::string>{"owner", "review_interval"}));
  v1::UpdateRequirementRequest masked;
  ASSERT_TRUE(Build("PATCH", "/v1/frameworks/iso27001-2022/requirements/5.1.a?updateMask=notes",
                    R"({"owner": "x"})", masked)
                  .ok());
  EXPECT_EQ(masked.update_mask().paths_size(), 1);
  EXPECT_EQ(masked.update_mask().paths(0), "notes");
}

TEST_F(HttpRequestTest, IfMatchBecomesTheRequestEtag) {
  v1::CancelActionRequest cancel;
  ASSERT_TRUE(
      Build("POST", "/v1/actions/a1:cancel", R"({"reason": "x"})", cancel, "W/\"a7\"").ok());
  EXPECT_EQ(cancel.etag(), "a7");
  v1::CancelActionRequest any;
  ASSERT_TRUE(Build("POST", "/v1/actions/a1:cancel", "{}", any, "*").ok());
  EXPECT_EQ(any.etag(), "");
  v1::CancelActionRequest contradicted;
  EXPECT_EQ(
      Build("POST", "/v1/actions/a1:cancel", R"({"etag": "a6"})", contradicted, "\"a7\"").message(),
      "etag: differs from If-Match");
  v1::CreateEvidenceRequest create;
  EXPECT_EQ(Build("POST", "/v1/evidence", "{}", create, "\"e1\"").message(),
            "If-Match: this method takes no etag");
  v1::GetEvidenceRequest get;
  EXPECT_TRUE(Build("GET", "/v1/evidence/abc", "", get, "\"e1\"").ok());
}

TEST(HttpResponse, CodesMapToTheHttpStatusesOfAip193) {
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::OK), 200);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::CANCELLED), 499);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INTERNAL), 500);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNIMPLEMENTED), 501);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
}

TEST(HttpResponse, AnErrorIsGoogleRpcStatusJsonWithItsDetails) {
  EXPECT_EQ(ErrorJson(grpc::Status(grpc::StatusCode::NOT_FOUND, "evidence/x does not exist")),
            R"({"code":5,"message":"evidence/x does not exist","details":[]})");
  v1::GetRequirementResponse response;
  EXPECT_EQ(ResponseEtag(response), "");
  response.mutable_requirement()->set_etag("r9");
  EXPECT_EQ(ResponseEtag(response), "r9");
}

}  // namespace
}  // namespace compliance
