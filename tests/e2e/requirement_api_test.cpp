#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "field_errors.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;
constexpr char kA[] = "frameworks/iso27001-2022/requirements/5.1.a";

class RequirementApiTest : public ::testing::Test {
 protected:
  grpc::Status Get(const std::string& name, v1::GetRequirementResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    return stub_->GetRequirement(&context, Request(name), response);
  }
  static v1::GetRequirementRequest Request(const std::string& name) {
    v1::GetRequirementRequest request;
    request.set_name(name);
    return request;
  }
  grpc::Status Update(const v1::UpdateRequirementRequest& request,
                      v1::UpdateRequirementResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    return stub_->UpdateRequirement(&context, request, response);
  }
  grpc::Status Review(const v1::ReviewRequirementRequest& request,
                      v1::ReviewRequirementResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    return stub_->ReviewRequirement(&context, request, response);
  }
  grpc::Status List(const v1::ListRequirementsRequest& request,
                    v1::ListRequirementsResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    return stub_->ListRequirements(&context, request, response);
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
  std::unique_ptr<v1::RequirementService::Stub> stub_ =
      v1::RequirementService::NewStub(server_.Channel());
};

TEST_F(RequirementApiTest, ListsTheCatalogInOrder) {
  v1::ListRequirementsResponse response;
  ASSERT_TRUE(List({}, &response).ok());
  ASSERT_EQ(response.requirements_size(), 8);
  const std::string letters = "abcdefgh";
  for (int i = 0; i < 8; ++i) {
    const auto& r = response.requirements(i);
    EXPECT_EQ(r.name(), std::string("frameworks/iso27001-2022/requirements/5.1.") + letters[i]);
    EXPECT_EQ(r.reference(), std::string("5.1(") + letters[i] + ")");
    EXPECT_EQ(r.framework(), "iso27001-2022");
    EXPECT_EQ(r.clause(), "5.1");
    EXPECT_FALSE(r.title().empty());
    EXPECT_FALSE(r.description().empty());
    EXPECT_GE(r.evidence_guidance_size(), 2);
    EXPECT_EQ(r.conformity(), v1::CONFORMITY_NOT_ASSESSED);
    EXPECT_EQ(r.review_interval().seconds(), 365 * 86400);
    EXPECT_FALSE(r.review_overdue());
    EXPECT_FALSE(r.etag().empty());
  }
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST_F(RequirementApiTest, PagesVisitEveryRequirementOnce) {
  v1::ListRequirementsRequest request;
  request.set_page_size(3);
  request.set_clause("5.1");
  std::vector<std::string> names;
  int pages = 0;
  do {
    v1::ListRequirementsResponse response;
    ASSERT_TRUE(List(request, &response).ok());
    for (const auto& r : response.requirements()) names.push_back(r.name());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names.size(), 8u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 8u);

  v1::ListRequirementsRequest first_page;
  first_page.set_page_size(3);
  v1::ListRequirementsResponse response;
  ASSERT_TRUE(List(first_page, &response).ok());
  v1::ListRequirementsRequest other_filters;
  other_filters.set_page_size(3);
  other_filters.set_conformity(v1::CONFORMITY_CONFORMING);
  other_filters.set_page_token(response.next_page_token());
  ExpectFieldError(List(other_filters, &response), "page_token");
}

TEST_F(RequirementApiTest, ReviewMovesConformityAndReviewTimes) {
  const int64_t review_seconds = TimeUtil::GetCurrentTime().seconds() - 3600;
  v1::ReviewRequirementRequest review;
  review.set_name(kA);
  review.set_conformity(v1::CONFORMITY_PARTIALLY_CONFORMING);
  review.set_notes("objectives not yet measurable");
  review.mutable_review_time()->set_seconds(review_seconds);
  v1::ReviewRequirementResponse reviewed;
  ASSERT_TRUE(Review(review, &reviewed).ok());
  const auto& r = reviewed.requirement();
  EXPECT_EQ(r.conformity(), v1::CONFORMITY_PARTIALLY_CONFORMING);
  EXPECT_EQ(r.last_review_time().seconds(), review_seconds);
  EXPECT_EQ(r.next_review_time().seconds(), review_seconds + 365 * 86400);
  EXPECT_EQ(r.last_reviewer(), "anonymous");
  EXPECT_EQ(r.notes(), "objectives not yet measurable");

  v1::GetRequirementResponse got;
  ASSERT_TRUE(Get(kA, &got).ok());
  EXPECT_EQ(got.requirement().conformity(), v1::CONFORMITY_PARTIALLY_CONFORMING);
  EXPECT_EQ(got.requirement().etag(), r.etag());

  // A review dated before the previous one is refused.
  review.mutable_review_time()->set_seconds(review_seconds - 60);
  ExpectFieldError(Review(review, &reviewed), "review_time");
}

TEST_F(RequirementApiTest, UpdateChangesOnlyMaskedFields) {
  v1::UpdateRequirementRequest request;
  request.mutable_requirement()->set_name(kA);
  request.mutable_requirement()->set_owner("ciso@example.com");
  request.mutable_requirement()->mutable_review_interval()->set_seconds(180 * 86400);
  request.mutable_requirement()->set_notes("not in the mask");
  request.mutable_update_mask()->add_paths("owner");
  request.mutable_update_mask()->add_paths("review_interval");
  v1::UpdateRequirementResponse response;
  ASSERT_TRUE(Update(request, &response).ok());
  EXPECT_EQ(response.requirement().owner(), "ciso@example.com");
  EXPECT_EQ(response.requirement().review_interval().seconds(), 180 * 86400);
  EXPECT_EQ(response.requirement().notes(), "");
  // Never reviewed: the next review counts from the start of tracking.
  EXPECT_LT(response.requirement().next_review_time().seconds(),
            TimeUtil::GetCurrentTime().seconds() + 181 * 86400);
}

TEST_F(RequirementApiTest, StaleEtagIsAborted) {
  v1::GetRequirementResponse got;
  ASSERT_TRUE(Get(kA, &got).ok());
  const std::string etag = got.requirement().etag();

  v1::UpdateRequirementRequest request;
  request.mutable_requirement()->set_name(kA);
  request.mutable_requirement()->set_owner("alice");
  request.mutable_update_mask()->add_paths("owner");
  request.set_etag(etag);
  v1::UpdateRequirementResponse response;
  ASSERT_TRUE(Update(request, &response).ok());
  EXPECT_NE(response.requirement().etag(), etag);

  request.mutable_requirement()->set_owner("bob");
  EXPECT_EQ(Update(request, &response).error_code(), grpc::StatusCode::ABORTED);
  request.clear_etag();
  request.mutable_requirement()->set_etag(etag);  // the etag inside the resource counts too
  EXPECT_EQ(Update(request, &response).error_code(), grpc::StatusCode::ABORTED);

  v1::ReviewRequirementRequest review;
  review.set_name(kA);
  review.set_conformity(v1::CONFORMITY_CONFORMING);
  review.set_etag(etag);
  v1::ReviewRequirementResponse reviewed;
  EXPECT_EQ(Review(review, &reviewed).error_code(), grpc::StatusCode::ABORTED);

  ASSERT_TRUE(Get(kA, &got).ok());
  EXPECT_EQ(got.requirement().owner(), "alice");
  EXPECT_EQ(got.requirement().conformity(), v1::CONFORMITY_NOT_ASSESSED);
}

TEST_F(RequirementApiTest, BadInputGetsTheRightCodeAndNamesTheField) {
  v1::GetRequirementResponse got;
  const grpc::Status unknown = Get("frameworks/iso27001-2022/requirements/5.1.z", &got);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  ExpectFieldError(Get("5.1.a", &got), "name");
  ExpectFieldError(Get("frameworks/iso27001-2022/requirements", &got), "name");

  v1::UpdateRequirementRequest update;
  update.mutable_requirement()->set_name(kA);
  update.mutable_update_mask()->add_paths("title");
  v1::UpdateRequirementResponse updated;
  ExpectFieldError(Update(update, &updated), "update_mask");

  v1::ListRequirementsRequest list;
  list.set_page_size(-1);
  v1::ListRequirementsResponse listed;
  ExpectFieldError(List(list, &listed), "page_size");

  v1::ReviewRequirementRequest review;
  review.set_name(kA);
  review.set_conformity(v1::CONFORMITY_CONFORMING);
  review.mutable_review_time()->set_seconds(TimeUtil::GetCurrentTime().seconds() + 3600);
  v1::ReviewRequirementResponse reviewed;
  ExpectFieldError(Review(review, &reviewed), "review_time");
  review.clear_review_time();
  review.set_conformity(v1::CONFORMITY_UNSPECIFIED);
  ExpectFieldError(Review(review, &reviewed), "conformity");

  ASSERT_TRUE(Get(kA, &got).ok());
  EXPECT_EQ(got.requirement().etag(), "r1") << "a failed request changed something";
}

TEST_F(RequirementApiTest, HealthServesTheServerAndEveryService) {
  auto health = grpc::health::v1::Health::NewStub(server_.Channel());
  for (const char* service : {"", "compliance.v1.RequirementService",
                              "compliance.v1.EvidenceService", "compliance.v1.ActionService",
                              "compliance.v1.ReportService", "compliance.v1.AuditService"}) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(5));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(RequirementApiTest, ReflectionListsTheServices) {
  const auto result =
      RunProcess({ProjectRoot() + "/.tools/node_modules/.bin/buf", "curl", "--protocol", "grpc",
                  "--http2-prior-knowledge", "--list-services", "http://" + server_.address()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("compliance.v1.RequirementService"), std::string::npos);
  EXPECT_NE(result.out.find("compliance.v1.AuditService"), std::string::npos);
}

TEST_F(RequirementApiTest, SigtermDrainsAndExitsZero) {
  v1::GetRequirementResponse got;
  ASSERT_TRUE(Get(kA, &got).ok());
  EXPECT_EQ(server_.Stop(SIGTERM), 0);
}

TEST(ServerShutdown, ReportsNotServingBeforeRefusingCalls) {
  TestDatabase db;
  ServerProcess server(db.url(), {"COMPLIANCE_SHUTDOWN_DELAY=3"});
  auto health = grpc::health::v1::Health::NewStub(server.Channel());
  const auto check = [&] {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(2));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(&context, {}, &response);
    return status.ok() ? response.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
  };
  ASSERT_EQ(check(), grpc::health::v1::HealthCheckResponse::SERVING);
  kill(server.pid(), SIGTERM);
  bool saw_not_serving = false;
  for (int i = 0; i < 20 && !saw_not_serving; ++i) {
    saw_not_serving = check() == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(saw_not_serving);
  auto stub = v1::RequirementService::NewStub(server.Channel());
  grpc::ClientContext context;
  v1::GetRequirementRequest request;
  request.set_name(kA);
  v1::GetRequirementResponse response;
  EXPECT_TRUE(stub->GetRequirement(&context, request, &response).ok())
      << "calls are still answered while clients move away";
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace compliance::testing
