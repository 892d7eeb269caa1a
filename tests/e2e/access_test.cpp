#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "compliance/v1/webhook.grpc.pb.h"
#include "eventually.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

enum class Need { kRead, kIntegrate, kWrite, kAdmin };

// Every RPC with an empty request: authorization is decided before the request is read.
struct Rpc {
  const char* name;
  Need need;
  std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext*)> call;
};

template <typename Stub, typename Request, typename Response>
std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext*)> Unary(
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*)) {
  return [method](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context) {
    Stub stub(channel);
    Response response;
    return (stub.*method)(context, Request(), &response);
  };
}

std::vector<Rpc> AllRpcs() {
  using R = v1::RequirementService::Stub;
  using E = v1::EvidenceService::Stub;
  using A = v1::ActionService::Stub;
  using P = v1::ReportService::Stub;
  using L = v1::AuditService::Stub;
  using W = v1::WebhookService::Stub;
  return {
      {"GetRequirement", Need::kRead, Unary(&R::GetRequirement)},
      {"ListRequirements", Need::kRead, Unary(&R::ListRequirements)},
      {"UpdateRequirement", Need::kWrite, Unary(&R::UpdateRequirement)},
      {"ReviewRequirement", Need::kWrite, Unary(&R::ReviewRequirement)},
      {"CreateEvidence", Need::kIntegrate, Unary(&E::CreateEvidence)},
      {"BatchCreateEvidence", Need::kIntegrate, Unary(&E::BatchCreateEvidence)},
      {"GetEvidence", Need::kRead, Unary(&E::GetEvidence)},
      {"ListEvidence", Need::kRead, Unary(&E::ListEvidence)},
      {"WithdrawEvidence", Need::kWrite, Unary(&E::WithdrawEvidence)},
      {"CreateAction", Need::kWrite, Unary(&A::CreateAction)},
      {"GetAction", Need::kRead, Unary(&A::GetAction)},
      {"ListActions", Need::kRead, Unary(&A::ListActions)},
      {"UpdateAction", Need::kWrite, Unary(&A::UpdateAction)},
      {"CompleteAction", Need::kIntegrate, Unary(&A::CompleteAction)},
      {"CancelAction", Need::kWrite, Unary(&A::CancelAction)},
      {"ListAuditEvents", Need::kRead, Unary(&L::ListAuditEvents)},
      {"VerifyAuditLog", Need::kRead, Unary(&L::VerifyAuditLog)},
      {"GetCheckpoint", Need::kRead, Unary(&L::GetCheckpoint)},
      {"GetInclusionProof", Need::kRead, Unary(&L::GetInclusionProof)},
      {"GetConsistencyProof", Need::kRead, Unary(&L::GetConsistencyProof)},
      {"CreateWebhook", Need::kAdmin, Unary(&W::CreateWebhook)},
      {"GetWebhook", Need::kAdmin, Unary(&W::GetWebhook)},
      {"ListWebhooks", Need::kAdmin, Unary(&W::ListWebhooks)},
      {"UpdateWebhook", Need::kAdmin, Unary(&W::UpdateWebhook)},
      {"DeleteWebhook", Need::kAdmin, Unary(&W::DeleteWebhook)},
      {"RotateWebhookSecret", Need::kAdmin, Unary(&W::RotateWebhookSecret)},
      {"ResumeWebhook", Need::kAdmin, Unary(&W::ResumeWebhook)},
  };
}

class AccessTest : public ::testing::Test {
 protected:
  std::string Token(const std::string& name, const std::string& role,
                    const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {ServerBinary(), "token",  "create", "--name",
                                     name,           "--role", role};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = RunProcess(args, {"DATABASE_URL=" + db_.url()});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::string(absl::StripAsciiWhitespace(result.out));
  }
  grpc::StatusCode Call(const Rpc& rpc, const std::string& token) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    return rpc.call(server_.Channel(), &context).error_code();
  }
  int AuditEvents() {
    return db_
        .Exec(
            "SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM "
            "audit_pending)")[0][0]
        .as<int>();
  }

  TestDatabase db_;
  ServerProcess server_{db_.url(), {"COMPLIANCE_NO_AUTH=false"}};
};

TEST_F(AccessTest, EveryRpcFollowsTheRoleTable) {
  const std::map<std::string, std::string> tokens = {{"viewer", Token("dashboard", "viewer")},
                                                     {"integrator", Token("hr-sync", "integrator")},
                                                     {"editor", Token("grc-team", "editor")},
                                                     {"admin", Token("root", "admin")}};
  const std::string revoked = Token("former-vendor", "admin");
  ASSERT_EQ(RunProcess({ServerBinary(), "token", "revoke", "former-vendor"},
                       {"DATABASE_URL=" + db_.url()})
                .exit_code,
            0);
  const int events_after_setup = AuditEvents();  // the token creations and the revocation
  for (const auto& rpc : AllRpcs()) {
    EXPECT_EQ(Call(rpc, ""), grpc::StatusCode::UNAUTHENTICATED) << rpc.name;
    EXPECT_EQ(Call(rpc, revoked), grpc::StatusCode::UNAUTHENTICATED) << rpc.name;
    EXPECT_EQ(Call(rpc, "cst_000000000000_not-a-real-secret"), grpc::StatusCode::UNAUTHENTICATED)
        << rpc.name;
    for (const auto& [role, token] : tokens) {
      const bool allowed =
          rpc.need == Need::kRead || (rpc.need == Need::kIntegrate && role != "viewer") ||
          (rpc.need == Need::kWrite && (role == "editor" || role == "admin")) || role == "admin";
      const grpc::StatusCode code = Call(rpc, token);
      if (allowed) {
        EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED) << rpc.name << " as " << role;
        EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << rpc.name << " as " << role;
      } else {
        EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED) << rpc.name << " as " << role;
      }
    }
  }
  EXPECT_EQ(AuditEvents(), events_after_setup) << "denied and invalid calls wrote events";
}

// How soon a revocation is seen is the authenticator's cache time, checked at exact instants
// in integration/authenticator_test.cpp; here the real server only has to come to refuse it.
TEST_F(AccessTest, HealthNeedsNoTokenAndARevokedTokenIsRefused) {
  const std::string token = Token("temp", "viewer");
  const Rpc list = AllRpcs()[1];
  ASSERT_EQ(Call(list, token), grpc::StatusCode::OK);
  const auto revoke =
      RunProcess({ServerBinary(), "token", "revoke", "temp"}, {"DATABASE_URL=" + db_.url()});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_TRUE(Eventually([&] { return Call(list, token) == grpc::StatusCode::UNAUTHENTICATED; }))
      << "the revoked token was never refused";
  EXPECT_EQ(Call(list, token), grpc::StatusCode::UNAUTHENTICATED) << "and it stays refused";
  const auto listed = RunProcess({ServerBinary(), "token", "list"}, {"DATABASE_URL=" + db_.url()});
  EXPECT_NE(listed.out.find("revoked"), std::string::npos);
  EXPECT_EQ(listed.out.find("cst_"), std::string::npos) << "token list shows no secrets";
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM audit_events WHERE after_json LIKE '%cst_%' OR "
                           "before_json LIKE '%cst_%'"),
            0);
}

TEST_F(AccessTest, AnIntegratorWritesOnlyItsOwnSources) {
  const std::string token = Token("hr-sync", "integrator", {"--source", "hr-system"});
  v1::EvidenceService::Stub stub(server_.Channel());
  v1::CreateEvidenceRequest request;
  auto* e = request.mutable_evidence();
  e->add_requirements("frameworks/iso27001-2022/requirements/5.1.f");
  e->set_kind(v1::EVIDENCE_KIND_TRAINING_RECORD);
  e->set_title("Training");
  e->set_uri("https://hr.example.com/t");
  e->mutable_collect_time()->set_seconds(1790000000);
  e->set_source("hr-system");
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateEvidenceResponse response;
    ASSERT_TRUE(stub.CreateEvidence(&context, request, &response).ok());
    EXPECT_EQ(response.evidence().submitter(), "hr-sync");
  }
  e->set_source("finance-erp");
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  v1::CreateEvidenceResponse response;
  const grpc::Status denied = stub.CreateEvidence(&context, request, &response);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message().rfind("evidence.source: ", 0), 0u) << denied.error_message();

  // Nor may it retire another source's record through `supersedes`.
  std::string finance_name;
  {
    grpc::ClientContext admin_context;
    admin_context.AddMetadata("authorization", "Bearer " + Token("root", "admin"));
    v1::CreateEvidenceResponse created;
    ASSERT_TRUE(stub.CreateEvidence(&admin_context, request, &created).ok());
    finance_name = created.evidence().name();
  }
  e->set_source("hr-system");
  e->set_supersedes(finance_name);
  grpc::ClientContext supersede_context;
  supersede_context.AddMetadata("authorization", "Bearer " + token);
  const grpc::Status retire = stub.CreateEvidence(&supersede_context, request, &response);
  EXPECT_EQ(retire.error_code(), grpc::StatusCode::PERMISSION_DENIED) << retire.error_message();
}

TEST_F(AccessTest, ARevokedTokenLosesItsWatchToo) {
  const std::string token = Token("dashboard", "viewer");
  v1::AuditService::Stub stub(server_.Channel());
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(DeadlineIn(30));
  auto reader = stub.WatchAuditEvents(&context, v1::WatchAuditEventsRequest());
  v1::WatchAuditEventsResponse message;
  ASSERT_TRUE(reader->Read(&message));  // the token's own creation event
  ASSERT_EQ(
      RunProcess({ServerBinary(), "token", "revoke", "dashboard"}, {"DATABASE_URL=" + db_.url()})
          .exit_code,
      0);
  // The stream's 30 s deadline bounds the wait (DEADLINE_EXCEEDED, not UNAUTHENTICATED, if the
  // revocation never reached it); the 5 s promise is a static_assert in audit_watchers.cpp.
  while (reader->Read(&message)) {
  }
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
}

}  // namespace
}  // namespace compliance::testing
