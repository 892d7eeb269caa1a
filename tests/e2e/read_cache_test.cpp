// Requirement reads are answered from memory while nothing changed; these tests check that
// the answers stay exact: across replicas, and when time alone moves a figure.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "eventually.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;

// Microseconds, unlike TimeUtil::GetCurrentTime(), which counts whole seconds here.
google::protobuf::Timestamp Now() {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
}
constexpr char kE[] = "frameworks/iso27001-2022/requirements/5.1.e";

v1::Requirement GetVia(v1::RequirementService::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(10));
  v1::GetRequirementRequest request;
  request.set_name(kE);
  v1::GetRequirementResponse response;
  const auto status = stub.GetRequirement(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.requirement();
}

class ReadCacheTest : public ::testing::Test {
 protected:
  TestDatabase db_;
  ServerProcess a_{db_.url()};
  ServerProcess b_{db_.url()};
  std::unique_ptr<v1::RequirementService::Stub> via_a_ =
      v1::RequirementService::NewStub(a_.Channel());
  std::unique_ptr<v1::RequirementService::Stub> via_b_ =
      v1::RequirementService::NewStub(b_.Channel());
};

TEST_F(ReadCacheTest, AReplicaSeesAWriteMadeThroughAnother) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(GetVia(*via_b_).owner(), "");  // B has it in memory
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(10));
  v1::UpdateRequirementRequest update;
  update.mutable_requirement()->set_name(kE);
  update.mutable_requirement()->set_owner("ceo@example.com");
  update.mutable_update_mask()->add_paths("owner");
  v1::UpdateRequirementResponse updated;
  ASSERT_TRUE(via_a_->UpdateRequirement(&context, update, &updated).ok());
  EXPECT_EQ(GetVia(*via_a_).owner(), "ceo@example.com");  // the writer's replica: at once
  // The other replica hears of the commit by notification, in milliseconds; its cache's
  // one-second limit on age bounds what a lost notification could hide. Either way it
  // converges: the wait is for that event, not a measurement.
  EXPECT_TRUE(Eventually([&] { return GetVia(*via_b_).owner() == "ceo@example.com"; },
                         std::chrono::seconds(10)));
}

TEST_F(ReadCacheTest, CountsMoveWhenAnActionFallsDueAndEvidenceExpires) {
  const auto soon = Now() + TimeUtil::MillisecondsToDuration(1500);
  auto actions = v1::ActionService::NewStub(a_.Channel());
  {
    grpc::ClientContext context;
    v1::CreateActionRequest request;
    auto* action = request.mutable_action();
    action->set_requirement(kE);
    action->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
    action->set_title("Q1 management review");
    action->set_owner("ceo@example.com");
    *action->mutable_due_time() = soon;
    v1::CreateActionResponse response;
    ASSERT_TRUE(actions->CreateAction(&context, request, &response).ok());
  }
  auto evidence = v1::EvidenceService::NewStub(a_.Channel());
  {
    grpc::ClientContext context;
    v1::CreateEvidenceRequest request;
    auto* record = request.mutable_evidence();
    record->add_requirements(kE);
    record->set_kind(v1::EVIDENCE_KIND_MEETING_MINUTES);
    record->set_title("Minutes");
    record->set_uri("https://intranet.example.com/minutes");
    *record->mutable_collect_time() = Now() - TimeUtil::SecondsToDuration(60);
    *record->mutable_expire_time() = soon;
    v1::CreateEvidenceResponse response;
    ASSERT_TRUE(evidence->CreateEvidence(&context, request, &response).ok());
  }
  for (int i = 0; i < 3; ++i) {
    const auto before = GetVia(*via_a_);
    EXPECT_EQ(before.open_action_count(), 1);
    EXPECT_EQ(before.overdue_action_count(), 0);
    EXPECT_EQ(before.valid_evidence_count(), 1);
  }
  // Reading all along keeps an answer in memory. An answer given before `soon` shows nothing
  // overdue; the first one asked for after it (the server's clock is this machine's) shows
  // what the clock alone moved: nothing was written. The exact instants are in
  // integration/requirement_store_test.cpp.
  v1::Requirement after;
  EXPECT_TRUE(Eventually([&] {
    const auto asked = Now();
    const auto answer = GetVia(*via_a_);
    if (Now() < soon) EXPECT_EQ(answer.overdue_action_count(), 0);
    if (asked <= soon) return false;
    after = answer;
    return true;
  }));
  EXPECT_EQ(after.overdue_action_count(), 1);
  EXPECT_EQ(after.valid_evidence_count(), 0);
}

}  // namespace
}  // namespace compliance::testing
