// Every kind of mutation leaves its audit event, checked end to end through a real server:
// who (the token's name), which RPC, which resource, the request_id, and the resource before
// and after as proto JSON. Successors of recurring actions appear as resources of their own.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/strip.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

constexpr char kActions[] = "/compliance.v1.ActionService/";

class AuditCoverageTest : public ::testing::Test {
 protected:
  AuditCoverageTest() { token_ = Token("coverage-editor", "editor"); }

  std::string Token(const std::string& name, const std::string& role) {
    const auto result =
        RunProcess({ServerBinary(), "token", "create", "--name", name, "--role", role},
                   {"DATABASE_URL=" + db_.url(), "USER=auditor"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::string(absl::StripAsciiWhitespace(result.out));
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(DeadlineIn(10));
    context->AddMetadata("authorization", "Bearer " + token_);
    return context;
  }

  // Every event after `after`, once everything committed is sealed (sealing runs apart from
  // the commit, so a count that is too high shows too).
  std::vector<v1::AuditEvent> EventsAfter(int64_t after) {
    for (int i = 0; i < 400; ++i) {
      if (db_.Value<int>("SELECT count(*) FROM audit_pending") == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    auto stub = v1::AuditService::NewStub(server_.Channel());
    v1::ListAuditEventsRequest request;
    request.set_after_sequence(after);
    request.set_page_size(1000);
    v1::ListAuditEventsResponse response;
    EXPECT_TRUE(stub->ListAuditEvents(Context().get(), request, &response).ok());
    return {response.audit_events().begin(), response.audit_events().end()};
  }

  int64_t Head() {
    const auto events = EventsAfter(0);
    return events.empty() ? 0 : events.back().sequence();
  }

  static void ExpectEvent(const v1::AuditEvent& event, const std::string& actor,
                          const std::string& method, const std::string& resource,
                          const std::string& request_id) {
    EXPECT_EQ(event.actor(), actor) << event.DebugString();
    EXPECT_EQ(event.method(), method) << event.DebugString();
    EXPECT_EQ(event.resource(), resource) << event.DebugString();
    EXPECT_EQ(event.request_id(), request_id) << event.DebugString();
  }

  TestDatabase db_;
  ServerProcess server_{db_.url(), {"COMPLIANCE_NO_AUTH=false"}};
  std::string token_;
  std::unique_ptr<v1::ActionService::Stub> actions_ = v1::ActionService::NewStub(server_.Channel());
  std::unique_ptr<v1::EvidenceService::Stub> evidence_ =
      v1::EvidenceService::NewStub(server_.Channel());
};

TEST_F(AuditCoverageTest, EveryActionMutationLeavesItsEventAndASuccessorIsBornInTheFeed) {
  const int64_t head = Head();
  v1::CreateActionRequest create;
  create.set_request_id("create-review");
  auto* a = create.mutable_action();
  a->set_requirement("frameworks/iso27001-2022/requirements/5.1.e");
  a->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
  a->set_title("Quarterly review");
  a->set_owner("ceo@example.com");
  *a->mutable_due_time() = TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(86400);
  *a->mutable_recurrence() = TimeUtil::SecondsToDuration(90 * 86400);
  v1::CreateActionResponse created;
  ASSERT_TRUE(actions_->CreateAction(Context().get(), create, &created).ok());
  const std::string name = created.action().name();

  v1::UpdateActionRequest update;
  update.mutable_action()->set_name(name);
  update.mutable_action()->set_title("Quarterly management review");
  update.mutable_update_mask()->add_paths("title");
  v1::UpdateActionResponse updated;
  ASSERT_TRUE(actions_->UpdateAction(Context().get(), update, &updated).ok());

  v1::CompleteActionRequest complete;
  complete.set_name(name);
  complete.set_note("held");
  complete.set_request_id("complete-review");
  v1::CompleteActionResponse completed;
  ASSERT_TRUE(actions_->CompleteAction(Context().get(), complete, &completed).ok());
  ASSERT_TRUE(completed.has_next_action());
  const std::string successor = completed.next_action().name();
  // A retry is answered from the first result and writes no event.
  v1::CompleteActionResponse retried;
  ASSERT_TRUE(actions_->CompleteAction(Context().get(), complete, &retried).ok());
  EXPECT_EQ(retried.next_action().name(), successor);

  v1::CancelActionRequest cancel;
  cancel.set_name(successor);
  cancel.set_reason("merged into the annual review");
  v1::CancelActionResponse cancelled;
  ASSERT_TRUE(actions_->CancelAction(Context().get(), cancel, &cancelled).ok());

  const auto events = EventsAfter(head);
  ASSERT_EQ(events.size(), 5u);
  const std::string actor = "coverage-editor";
  ExpectEvent(events[0], actor, std::string(kActions) + "CreateAction", name, "create-review");
  EXPECT_EQ(events[0].before_json(), "");
  EXPECT_EQ(json::parse(events[0].after_json())["title"], "Quarterly review");

  ExpectEvent(events[1], actor, std::string(kActions) + "UpdateAction", name, "");
  EXPECT_EQ(json::parse(events[1].before_json())["title"], "Quarterly review");
  EXPECT_EQ(json::parse(events[1].after_json())["title"], "Quarterly management review");

  ExpectEvent(events[2], actor, std::string(kActions) + "CompleteAction", name, "complete-review");
  EXPECT_EQ(json::parse(events[2].before_json())["state"], "ACTION_STATE_OPEN");
  const json done = json::parse(events[2].after_json());
  EXPECT_EQ(done["state"], "ACTION_STATE_COMPLETED");
  EXPECT_EQ(done["nextAction"], successor);

  ExpectEvent(events[3], actor, std::string(kActions) + "CompleteAction", successor,
              "complete-review");
  EXPECT_EQ(events[3].before_json(), "");
  const json born = json::parse(events[3].after_json());
  EXPECT_EQ(born["state"], "ACTION_STATE_OPEN");
  EXPECT_EQ(born["title"], "Quarterly management review");

  ExpectEvent(events[4], actor, std::string(kActions) + "CancelAction", successor, "");
  EXPECT_EQ(json::parse(events[4].before_json())["state"], "ACTION_STATE_OPEN");
  const json gone = json::parse(events[4].after_json());
  EXPECT_EQ(gone["state"], "ACTION_STATE_CANCELLED");
  EXPECT_EQ(gone["resolutionNote"], "merged into the annual review");
}

TEST_F(AuditCoverageTest, WithdrawingEvidenceLeavesItsEvent) {
  v1::CreateEvidenceRequest create;
  auto* e = create.mutable_evidence();
  e->add_requirements("frameworks/iso27001-2022/requirements/5.1.f");
  e->set_kind(v1::EVIDENCE_KIND_TRAINING_RECORD);
  e->set_title("Training");
  e->set_uri("https://hr.example.com/1");
  *e->mutable_collect_time() = TimeUtil::GetCurrentTime();
  v1::CreateEvidenceResponse created;
  ASSERT_TRUE(evidence_->CreateEvidence(Context().get(), create, &created).ok());
  const int64_t head = Head();

  v1::WithdrawEvidenceRequest withdraw;
  withdraw.set_name(created.evidence().name());
  withdraw.set_reason("uploaded by mistake");
  v1::WithdrawEvidenceResponse withdrawn;
  ASSERT_TRUE(evidence_->WithdrawEvidence(Context().get(), withdraw, &withdrawn).ok());

  const auto events = EventsAfter(head);
  ASSERT_EQ(events.size(), 1u);
  ExpectEvent(events[0], "coverage-editor", "/compliance.v1.EvidenceService/WithdrawEvidence",
              created.evidence().name(), "");
  EXPECT_EQ(json::parse(events[0].before_json())["state"], "EVIDENCE_STATE_ACTIVE");
  const json after = json::parse(events[0].after_json());
  EXPECT_EQ(after["state"], "EVIDENCE_STATE_WITHDRAWN");
  EXPECT_EQ(after["withdrawReason"], "uploaded by mistake");
}

TEST_F(AuditCoverageTest, TokenChangesLeaveTheirEventsWithoutSecrets) {
  const int64_t head = Head();
  const std::string secret = Token("hr-sync", "integrator");
  const auto revoke = RunProcess({ServerBinary(), "token", "revoke", "hr-sync"},
                                 {"DATABASE_URL=" + db_.url(), "USER=auditor"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;

  const auto events = EventsAfter(head);
  ASSERT_EQ(events.size(), 2u);
  ExpectEvent(events[0], "local:auditor", "token create", "tokens/hr-sync", "");
  EXPECT_EQ(events[0].before_json(), "");
  EXPECT_EQ(json::parse(events[0].after_json())["role"], "integrator");
  ExpectEvent(events[1], "local:auditor", "token revoke", "tokens/hr-sync", "");
  EXPECT_EQ(json::parse(events[1].after_json())["revoked"], true);
  for (const auto& event : events) {
    EXPECT_EQ(event.after_json().find(secret.substr(4)), std::string::npos) << "a secret leaked";
  }
}

}  // namespace
}  // namespace compliance::testing
