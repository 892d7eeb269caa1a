#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <optional>

#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;
using Gaps = std::vector<v1::ReadinessGap>;

std::string Name(char letter) {
  return std::string("frameworks/iso27001-2022/requirements/5.1.") + letter;
}

class ReadinessTest : public ::testing::Test {
 protected:
  v1::GetReadinessResponse Readiness() {
    grpc::ClientContext context;
    v1::GetReadinessRequest request;
    request.set_framework("iso27001-2022");
    request.set_clause("5.1");
    v1::GetReadinessResponse response;
    EXPECT_TRUE(reports_->GetReadiness(&context, request, &response).ok());
    return response;
  }
  static Gaps GapsOf(const v1::RequirementReadiness& row) {
    Gaps gaps;
    for (const int gap : row.gaps()) gaps.push_back(static_cast<v1::ReadinessGap>(gap));
    return gaps;
  }
  // Owner, a conforming review and valid evidence: no gap left.
  void MakeReady(char letter) {
    {
      grpc::ClientContext context;
      v1::UpdateRequirementRequest update;
      update.mutable_requirement()->set_name(Name(letter));
      update.mutable_requirement()->set_owner("ciso@example.com");
      update.mutable_update_mask()->add_paths("owner");
      v1::UpdateRequirementResponse response;
      ASSERT_TRUE(requirements_->UpdateRequirement(&context, update, &response).ok());
    }
    {
      grpc::ClientContext context;
      v1::ReviewRequirementRequest review;
      review.set_name(Name(letter));
      review.set_conformity(v1::CONFORMITY_CONFORMING);
      v1::ReviewRequirementResponse response;
      ASSERT_TRUE(requirements_->ReviewRequirement(&context, review, &response).ok());
    }
    AddEvidence(letter, std::nullopt);
  }
  void AddEvidence(char letter, std::optional<int64_t> expire_in_seconds) {
    grpc::ClientContext context;
    v1::CreateEvidenceRequest request;
    auto* e = request.mutable_evidence();
    e->add_requirements(Name(letter));
    e->set_kind(v1::EVIDENCE_KIND_OTHER);
    e->set_title(std::string("Evidence for ") + letter);
    e->set_uri("https://docs.example.com/" + std::string(1, letter));
    *e->mutable_collect_time() = TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(7200);
    if (expire_in_seconds) {
      *e->mutable_expire_time() =
          TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(*expire_in_seconds);
    }
    v1::CreateEvidenceResponse response;
    ASSERT_TRUE(evidence_->CreateEvidence(&context, request, &response).ok());
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
  std::unique_ptr<v1::ReportService::Stub> reports_ = v1::ReportService::NewStub(server_.Channel());
  std::unique_ptr<v1::RequirementService::Stub> requirements_ =
      v1::RequirementService::NewStub(server_.Channel());
  std::unique_ptr<v1::EvidenceService::Stub> evidence_ =
      v1::EvidenceService::NewStub(server_.Channel());
};

TEST_F(ReadinessTest, NothingDoneShowsEveryGap) {
  const auto readiness = Readiness();
  ASSERT_EQ(readiness.requirements_size(), 8);
  EXPECT_FALSE(readiness.audit_ready());
  EXPECT_EQ(readiness.score(), 0);
  EXPECT_TRUE(readiness.has_evaluate_time());
  for (const auto& row : readiness.requirements()) {
    EXPECT_EQ(GapsOf(row), (Gaps{v1::READINESS_GAP_NOT_ASSESSED,
                                 v1::READINESS_GAP_NO_VALID_EVIDENCE, v1::READINESS_GAP_NO_OWNER}))
        << row.requirement();
  }
  EXPECT_EQ(readiness.requirements(0).reference(), "5.1(a)");
}

TEST_F(ReadinessTest, EverythingDoneIsAuditReady) {
  for (char letter = 'a'; letter <= 'h'; ++letter) MakeReady(letter);
  const auto readiness = Readiness();
  EXPECT_TRUE(readiness.audit_ready());
  EXPECT_EQ(readiness.score(), 1);
  for (const auto& row : readiness.requirements())
    EXPECT_TRUE(row.gaps().empty()) << row.requirement();
}

TEST_F(ReadinessTest, EachProblemShowsExactlyWhereItIs) {
  for (char letter = 'a'; letter <= 'h'; ++letter) MakeReady(letter);
  // 5.1.b: its only evidence is replaced by one that expired an hour ago (how evidence comes
  // to expire on the clock is evidence_api_test's and evidence_store_test's).
  {
    grpc::ClientContext context;
    v1::ListEvidenceRequest list;
    list.set_requirement(Name('b'));
    v1::ListEvidenceResponse listed;
    ASSERT_TRUE(evidence_->ListEvidence(&context, list, &listed).ok());
    grpc::ClientContext withdraw_context;
    v1::WithdrawEvidenceRequest withdraw;
    withdraw.set_name(listed.evidence(0).name());
    withdraw.set_reason("replaced by a short-lived certificate");
    v1::WithdrawEvidenceResponse withdrawn;
    ASSERT_TRUE(evidence_->WithdrawEvidence(&withdraw_context, withdraw, &withdrawn).ok());
  }
  AddEvidence('b', -3600);
  // 5.1.e: an action that was due an hour ago.
  {
    auto actions = v1::ActionService::NewStub(server_.Channel());
    grpc::ClientContext context;
    v1::CreateActionRequest create;
    auto* a = create.mutable_action();
    a->set_requirement(Name('e'));
    a->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
    a->set_title("Management review");
    a->set_owner("ceo@example.com");
    *a->mutable_due_time() = TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(3600);
    v1::CreateActionResponse response;
    ASSERT_TRUE(actions->CreateAction(&context, create, &response).ok());
  }
  // 5.1.g: reviewed two days ago with a one-day interval, so its review is stale.
  {
    grpc::ClientContext context;
    v1::UpdateRequirementRequest update;
    update.mutable_requirement()->set_name(Name('g'));
    update.mutable_requirement()->mutable_review_interval()->set_seconds(86400);
    update.mutable_update_mask()->add_paths("review_interval");
    v1::UpdateRequirementResponse response;
    ASSERT_TRUE(requirements_->UpdateRequirement(&context, update, &response).ok());
  }
  db_.Exec(
      "UPDATE requirements SET last_review_time = now() - interval '2 days' "
      "WHERE requirement_id = '5.1.g'");

  const auto readiness = Readiness();
  EXPECT_FALSE(readiness.audit_ready());
  EXPECT_DOUBLE_EQ(readiness.score(), 5.0 / 8);
  for (const auto& row : readiness.requirements()) {
    const char letter = row.requirement().back();
    if (letter == 'b') {
      EXPECT_EQ(GapsOf(row), Gaps{v1::READINESS_GAP_NO_VALID_EVIDENCE});
      EXPECT_EQ(row.expired_evidence_count(), 1);
      EXPECT_EQ(row.valid_evidence_count(), 0);
    } else if (letter == 'e') {
      EXPECT_EQ(GapsOf(row), Gaps{v1::READINESS_GAP_ACTION_OVERDUE});
      EXPECT_EQ(row.overdue_action_count(), 1);
      EXPECT_EQ(row.open_action_count(), 1);
    } else if (letter == 'g') {
      EXPECT_EQ(GapsOf(row), Gaps{v1::READINESS_GAP_REVIEW_OVERDUE});
      EXPECT_TRUE(row.review_overdue());
    } else {
      EXPECT_TRUE(row.gaps().empty()) << row.requirement();
    }
  }
}

}  // namespace
}  // namespace compliance::testing
