#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

// Reads the feed from `after` until `count` events arrived or `seconds` passed.
std::vector<v1::AuditEvent> Watch(ServerProcess& server, int64_t after, size_t count,
                                  double seconds) {
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(seconds));
  v1::WatchAuditEventsRequest request;
  request.set_after_sequence(after);
  auto reader = stub->WatchAuditEvents(&context, request);
  std::vector<v1::AuditEvent> events;
  v1::WatchAuditEventsResponse message;
  while (events.size() < count && reader->Read(&message)) events.push_back(message.audit_event());
  context.TryCancel();
  return events;
}

grpc::Status UpdateNotes(v1::RequirementService::Stub& stub, const std::string& id,
                         const std::string& notes) {
  grpc::ClientContext context;
  v1::UpdateRequirementRequest request;
  request.mutable_requirement()->set_name("frameworks/iso27001-2022/requirements/" + id);
  request.mutable_requirement()->set_notes(notes);
  request.mutable_update_mask()->add_paths("notes");
  v1::UpdateRequirementResponse response;
  return stub.UpdateRequirement(&context, request, &response);
}

v1::VerifyAuditLogResponse Verify(ServerProcess& server) {
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  v1::VerifyAuditLogResponse response;
  EXPECT_TRUE(stub->VerifyAuditLog(&context, {}, &response).ok());
  return response;
}

TEST(AuditFeed, ConcurrentWritersThroughTwoServersMakeOneGapFreeChain) {
  TestDatabase db;
  ServerProcess a(db.url()), b(db.url());
  constexpr int kWriters = 8, kPerWriter = 250, kTotal = kWriters * kPerWriter;
  std::vector<v1::AuditEvent> watched;
  std::thread watcher([&] { watched = Watch(b, 0, kTotal, 120); });

  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = v1::RequirementService::NewStub((w % 2 == 0 ? a : b).Channel());
      const std::string id = std::string("5.1.") + static_cast<char>('a' + w);
      for (int i = 0; i < kPerWriter; ++i) {
        if (!UpdateNotes(*stub, id, "note " + std::to_string(i)).ok()) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  watcher.join();
  EXPECT_EQ(failures, 0);
  ASSERT_EQ(watched.size(), static_cast<size_t>(kTotal));
  for (int i = 0; i < kTotal; ++i) {
    ASSERT_EQ(watched[i].sequence(), i + 1) << "gap or reorder at " << i;
    ASSERT_EQ(watched[i].name(), "auditEvents/" + std::to_string(i + 1));
    if (i > 0) ASSERT_EQ(watched[i].prev_hash(), watched[i - 1].hash());
  }
  const auto report = Verify(a);
  EXPECT_TRUE(report.intact()) << report.detail();
  EXPECT_EQ(report.verified_events(), kTotal);
}

TEST(AuditFeed, AWatcherThatReconnectsGetsTheRestExactlyOnce) {
  TestDatabase db;
  ServerProcess server(db.url());
  auto stub = v1::RequirementService::NewStub(server.Channel());
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(UpdateNotes(*stub, "5.1.b", std::to_string(i)).ok());
  const auto first = Watch(server, 0, 12, 30);
  ASSERT_EQ(first.size(), 12u);
  for (int i = 30; i < 40; ++i) ASSERT_TRUE(UpdateNotes(*stub, "5.1.b", std::to_string(i)).ok());
  const auto rest = Watch(server, first.back().sequence(), 28, 30);
  ASSERT_EQ(rest.size(), 28u);
  for (size_t i = 0; i < rest.size(); ++i)
    EXPECT_EQ(rest[i].sequence(), 13 + static_cast<int64_t>(i));
}

TEST(AuditFeed, EveryMutationAppendsOneEventAndReadsAppendNone) {
  TestDatabase db;
  ServerProcess server(db.url());
  auto requirements = v1::RequirementService::NewStub(server.Channel());
  auto evidence = v1::EvidenceService::NewStub(server.Channel());
  ASSERT_TRUE(UpdateNotes(*requirements, "5.1.c", "budget").ok());
  {
    grpc::ClientContext context;
    v1::GetRequirementRequest get;
    get.set_name("frameworks/iso27001-2022/requirements/5.1.c");
    v1::GetRequirementResponse response;
    ASSERT_TRUE(requirements->GetRequirement(&context, get, &response).ok());
  }
  v1::CreateEvidenceRequest create;
  auto* e = create.mutable_evidence();
  e->add_requirements("frameworks/iso27001-2022/requirements/5.1.c");
  e->set_kind(v1::EVIDENCE_KIND_BUDGET_APPROVAL);
  e->set_title("FY27 security budget");
  e->set_uri("https://finance.example.com/budget/27");
  e->mutable_collect_time()->set_seconds(1790000000);
  create.set_request_id("budget-27");
  for (int i = 0; i < 3; ++i) {  // the retries are deduplicated
    grpc::ClientContext context;
    v1::CreateEvidenceResponse response;
    ASSERT_TRUE(evidence->CreateEvidence(&context, create, &response).ok());
  }
  {
    grpc::ClientContext context;  // a failed request writes nothing either
    v1::UpdateRequirementRequest bad;
    bad.mutable_requirement()->set_name("frameworks/iso27001-2022/requirements/5.1.c");
    bad.mutable_update_mask()->add_paths("title");
    v1::UpdateRequirementResponse response;
    EXPECT_FALSE(requirements->UpdateRequirement(&context, bad, &response).ok());
  }
  const auto events = Watch(server, 0, 3, 3);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].method(), "/compliance.v1.RequirementService/UpdateRequirement");
  EXPECT_EQ(events[0].actor(), "anonymous");
  EXPECT_FALSE(events[0].before_json().empty());
  EXPECT_NE(events[0].after_json().find("\"notes\":\"budget\""), std::string::npos);
  EXPECT_EQ(events[1].method(), "/compliance.v1.EvidenceService/CreateEvidence");
  EXPECT_EQ(events[1].request_id(), "budget-27");
  EXPECT_TRUE(events[1].before_json().empty());
  EXPECT_EQ(events[1].resource().rfind("evidence/", 0), 0u);
}

TEST(AuditFeed, AWatcherFollowsEachWriteAsItHappensAfterItsReplay) {
  TestDatabase db;
  ServerProcess server(db.url());
  auto requirements = v1::RequirementService::NewStub(server.Channel());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(UpdateNotes(*requirements, "5.1.c", "r" + std::to_string(i)).ok());
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(60));
  auto reader = stub->WatchAuditEvents(&context, v1::WatchAuditEventsRequest());
  v1::WatchAuditEventsResponse message;
  for (int64_t sequence = 1; sequence <= 3; ++sequence) {
    ASSERT_TRUE(reader->Read(&message));
    EXPECT_EQ(message.audit_event().sequence(), sequence);
  }
  // One write at a time on a quiet log: each must arrive without a later write to push it.
  for (int64_t sequence = 4; sequence <= 8; ++sequence) {
    ASSERT_TRUE(UpdateNotes(*requirements, "5.1.c", "live" + std::to_string(sequence)).ok());
    ASSERT_TRUE(reader->Read(&message)) << "event " << sequence << " never arrived";
    EXPECT_EQ(message.audit_event().sequence(), sequence);
    EXPECT_EQ(message.audit_event().method(),
              "/compliance.v1.RequirementService/UpdateRequirement");
  }
  context.TryCancel();
}

TEST(AuditFeed, ANegativeCursorIsRefusedNamingTheField) {
  TestDatabase db;
  ServerProcess server(db.url());
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(30));
  v1::WatchAuditEventsRequest request;
  request.set_after_sequence(-1);
  auto reader = stub->WatchAuditEvents(&context, request);
  v1::WatchAuditEventsResponse message;
  EXPECT_FALSE(reader->Read(&message));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("after_sequence:", 0), 0u) << status.error_message();
}

TEST(AuditFeed, AStoppingServerEndsItsWatchesWithUnavailableSoClientsResume) {
  TestDatabase db;
  ServerProcess server(db.url(), {"COMPLIANCE_SHUTDOWN_DELAY=0"});
  auto requirements = v1::RequirementService::NewStub(server.Channel());
  ASSERT_TRUE(UpdateNotes(*requirements, "5.1.d", "before stop").ok());
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(60));
  auto reader = stub->WatchAuditEvents(&context, v1::WatchAuditEventsRequest());
  v1::WatchAuditEventsResponse message;
  ASSERT_TRUE(reader->Read(&message));
  std::thread stopper([&] { server.Stop(SIGTERM); });
  EXPECT_FALSE(reader->Read(&message));
  const grpc::Status status = reader->Finish();
  stopper.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

}  // namespace
}  // namespace compliance::testing
