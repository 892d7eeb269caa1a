#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/time/clock.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "eventually.h"
#include "field_errors.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;
constexpr char kF[] = "frameworks/iso27001-2022/requirements/5.1.f";

class EvidenceApiTest : public ::testing::Test {
 protected:
  static v1::CreateEvidenceRequest Valid() {
    v1::CreateEvidenceRequest request;
    auto* e = request.mutable_evidence();
    e->add_requirements(kF);
    e->set_kind(v1::EVIDENCE_KIND_TRAINING_RECORD);
    e->set_title("Security awareness 2026: Alice");
    e->set_uri("https://hr.example.com/training/alice");
    e->set_source("hr-system");
    e->set_external_id("alice");
    *e->mutable_collect_time() = TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(3600);
    (*e->mutable_labels())["department"] = "finance";
    return request;
  }
  grpc::Status Create(const v1::CreateEvidenceRequest& request,
                      v1::CreateEvidenceResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    return evidence_->CreateEvidence(&context, request, response);
  }
  int ValidEvidenceCount() {
    grpc::ClientContext context;
    v1::GetRequirementRequest request;
    request.set_name(kF);
    v1::GetRequirementResponse response;
    EXPECT_TRUE(requirements_->GetRequirement(&context, request, &response).ok());
    return response.requirement().valid_evidence_count();
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
  std::unique_ptr<v1::EvidenceService::Stub> evidence_ =
      v1::EvidenceService::NewStub(server_.Channel());
  std::unique_ptr<v1::RequirementService::Stub> requirements_ =
      v1::RequirementService::NewStub(server_.Channel());
};

TEST_F(EvidenceApiTest, CreateReturnsTheStoredRecord) {
  v1::CreateEvidenceResponse created;
  ASSERT_TRUE(Create(Valid(), &created).ok());
  const auto& e = created.evidence();
  EXPECT_EQ(e.name().rfind("evidence/", 0), 0u);
  EXPECT_EQ(e.state(), v1::EVIDENCE_STATE_ACTIVE);
  EXPECT_EQ(e.submitter(), "anonymous");
  EXPECT_EQ(e.labels().at("department"), "finance");
  EXPECT_FALSE(e.expired());
  EXPECT_FALSE(created.deduplicated());
  EXPECT_EQ(ValidEvidenceCount(), 1);

  v1::CreateEvidenceRequest manual = Valid();
  manual.mutable_evidence()->clear_source();
  manual.mutable_evidence()->clear_external_id();
  ASSERT_TRUE(Create(manual, &created).ok());
  EXPECT_EQ(created.evidence().source(), "manual");

  grpc::ClientContext context;
  v1::GetEvidenceRequest get;
  get.set_name(created.evidence().name());
  v1::GetEvidenceResponse got;
  ASSERT_TRUE(evidence_->GetEvidence(&context, get, &got).ok());
  EXPECT_EQ(got.evidence().SerializeAsString(), created.evidence().SerializeAsString());
}

TEST_F(EvidenceApiTest, BadInputNamesTheField) {
  v1::CreateEvidenceResponse created;
  auto request = Valid();
  request.mutable_evidence()->set_uri("docs/policy.pdf");
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT, "evidence.uri");
  request = Valid();
  request.mutable_evidence()->set_sha256("ABC");
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT, "evidence.sha256");
  request = Valid();
  request.mutable_evidence()->set_source("HR System");
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT, "evidence.source");
  request = Valid();
  *request.mutable_evidence()->mutable_collect_time() =
      TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(3600);
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT,
              "evidence.collect_time");
  request = Valid();
  *request.mutable_evidence()->mutable_expire_time() =
      request.evidence().collect_time() - TimeUtil::SecondsToDuration(1);
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT,
              "evidence.expire_time");
  request = Valid();
  request.mutable_evidence()->add_requirements("5.1.a");
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT,
              "evidence.requirements[1]");
  request = Valid();
  request.mutable_evidence()->add_requirements("frameworks/iso27001-2022/requirements/5.1.z");
  ExpectField(Create(request, &created), grpc::StatusCode::NOT_FOUND, "evidence.requirements[1]");
  request = Valid();
  for (int i = 0; i < 17; ++i)
    (*request.mutable_evidence()->mutable_labels())["l" + std::to_string(i)] = "v";
  ExpectField(Create(request, &created), grpc::StatusCode::INVALID_ARGUMENT, "evidence.labels");
  request = Valid();
  request.mutable_evidence()->set_supersedes("evidence/00000000-0000-4000-8000-000000000000");
  ExpectField(Create(request, &created), grpc::StatusCode::NOT_FOUND, "evidence.supersedes");

  v1::BatchCreateEvidenceRequest batch;
  for (int i = 0; i < 20; ++i) {
    *batch.add_requests() = Valid();
    batch.mutable_requests(i)->mutable_evidence()->set_external_id("person-" + std::to_string(i));
  }
  batch.mutable_requests(17)->mutable_evidence()->set_title(std::string(201, 't'));
  grpc::ClientContext context;
  v1::BatchCreateEvidenceResponse batched;
  ExpectField(evidence_->BatchCreateEvidence(&context, batch, &batched),
              grpc::StatusCode::INVALID_ARGUMENT, "requests[17].evidence.title");
  EXPECT_EQ(ValidEvidenceCount(), 0);
}

TEST_F(EvidenceApiTest, EvidenceExpiresOnTheRealClock) {
  auto request = Valid();
  // From the exact time (TimeUtil::GetCurrentTime() counts whole seconds here), with room for
  // a slow server start before the first answer; the poll below waits out the rest.
  *request.mutable_evidence()->mutable_expire_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now() + absl::Seconds(5)));
  v1::CreateEvidenceResponse created;
  ASSERT_TRUE(Create(request, &created).ok());
  EXPECT_FALSE(created.evidence().expired());
  EXPECT_EQ(ValidEvidenceCount(), 1);
  // Nothing but the server's clock moves it (the exact instant is in
  // integration/evidence_store_test.cpp); polled, not slept, until it has.
  EXPECT_TRUE(Eventually([&] { return ValidEvidenceCount() == 0; })) << "it never expired";
  EXPECT_EQ(ValidEvidenceCount(), 0);
  grpc::ClientContext context;
  v1::GetEvidenceRequest get;
  get.set_name(created.evidence().name());
  v1::GetEvidenceResponse got;
  ASSERT_TRUE(evidence_->GetEvidence(&context, get, &got).ok());
  EXPECT_TRUE(got.evidence().expired());
}

TEST_F(EvidenceApiTest, WithdrawNeedsAReasonAndAnActiveRecord) {
  v1::CreateEvidenceResponse created;
  ASSERT_TRUE(Create(Valid(), &created).ok());
  v1::WithdrawEvidenceRequest withdraw;
  withdraw.set_name(created.evidence().name());
  v1::WithdrawEvidenceResponse withdrawn;
  {
    grpc::ClientContext context;
    ExpectField(evidence_->WithdrawEvidence(&context, withdraw, &withdrawn),
                grpc::StatusCode::INVALID_ARGUMENT, "reason");
  }
  withdraw.set_reason("wrong employee");
  withdraw.set_etag("e999");
  {
    grpc::ClientContext context;
    EXPECT_EQ(evidence_->WithdrawEvidence(&context, withdraw, &withdrawn).error_code(),
              grpc::StatusCode::ABORTED);
  }
  withdraw.set_etag(created.evidence().etag());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(evidence_->WithdrawEvidence(&context, withdraw, &withdrawn).ok());
    EXPECT_EQ(withdrawn.evidence().state(), v1::EVIDENCE_STATE_WITHDRAWN);
    EXPECT_EQ(withdrawn.evidence().withdraw_reason(), "wrong employee");
  }
  withdraw.clear_etag();
  {
    grpc::ClientContext context;
    EXPECT_EQ(evidence_->WithdrawEvidence(&context, withdraw, &withdrawn).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  EXPECT_EQ(ValidEvidenceCount(), 0);
  withdraw.set_name("evidence/not-a-uuid");
  grpc::ClientContext context;
  ExpectField(evidence_->WithdrawEvidence(&context, withdraw, &withdrawn),
              grpc::StatusCode::INVALID_ARGUMENT, "name");
}

TEST_F(EvidenceApiTest, ListFiltersAndRejectsTokensFromOtherFilters) {
  v1::CreateEvidenceResponse created;
  for (int i = 0; i < 5; ++i) {
    auto request = Valid();
    request.mutable_evidence()->set_external_id("p" + std::to_string(i));
    ASSERT_TRUE(Create(request, &created).ok());
  }
  v1::ListEvidenceRequest list;
  list.set_requirement(kF);
  list.set_source("hr-system");
  list.set_page_size(2);
  std::set<std::string> seen;
  std::string last_token;
  for (int pages = 0; pages < 5; ++pages) {
    grpc::ClientContext context;
    v1::ListEvidenceResponse response;
    ASSERT_TRUE(evidence_->ListEvidence(&context, list, &response).ok());
    for (const auto& e : response.evidence()) seen.insert(e.name());
    if (response.next_page_token().empty()) break;
    last_token = response.next_page_token();
    list.set_page_token(last_token);
  }
  EXPECT_EQ(seen.size(), 5u);
  list.set_source("finance");
  list.set_page_token(last_token);
  grpc::ClientContext context;
  v1::ListEvidenceResponse response;
  ExpectField(evidence_->ListEvidence(&context, list, &response),
              grpc::StatusCode::INVALID_ARGUMENT, "page_token");
}

}  // namespace
}  // namespace compliance::testing
