#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "compliance/v1/action.grpc.pb.h"
#include "process.h"
#include "prometheus_process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;

class MetricsTest : public ::testing::Test {
 protected:
  v1::LeadershipAction CreateAction(const std::string& requirement, int64_t due_offset_seconds) {
    auto stub = v1::ActionService::NewStub(server_.Channel());
    grpc::ClientContext context;
    v1::CreateActionRequest request;
    auto* action = request.mutable_action();
    action->set_requirement("frameworks/iso27001-2022/requirements/" + requirement);
    action->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
    action->set_title("Management review");
    action->set_owner("ceo@example.com");
    *action->mutable_due_time() =
        TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(due_offset_seconds);
    v1::CreateActionResponse response;
    EXPECT_TRUE(stub->CreateAction(&context, request, &response).ok());
    return response.action();
  }

  void Complete(const v1::LeadershipAction& action) {
    auto stub = v1::ActionService::NewStub(server_.Channel());
    grpc::ClientContext context;
    v1::CompleteActionRequest request;
    request.set_name(action.name());
    v1::CompleteActionResponse response;
    EXPECT_TRUE(stub->CompleteAction(&context, request, &response).ok());
  }

  std::string Scrape() { return HttpGet("http://" + server_.metrics_address() + "/metrics"); }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(MetricsTest, LiveScrapeHasEveryFamilyAndPassesPromtool) {
  CreateAction("5.1.e", -3600);
  CreateAction("5.1.e", 3600);
  const std::string scrape = Scrape();
  ASSERT_FALSE(scrape.empty());
  const std::string dir = TempDir("compliance-scrape");
  const std::string file = dir + "/metrics.txt";
  std::ofstream(file) << scrape;
  const auto check = RunProcess({"sh", "-c", "promtool check metrics < " + file});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "") << "promtool reported problems";
  RunProcess({"rm", "-rf", dir});

  const std::string e = R"({framework="iso27001-2022",clause="5.1",requirement="5.1.e"})";
  const std::string a = R"({framework="iso27001-2022",clause="5.1",requirement="5.1.a"})";
  for (
      const std::string& line : std::vector<std::string>{
          "compliance_leadership_actions_open" + e + " 2",
          "compliance_leadership_actions_overdue" + e + " 1",
          "compliance_leadership_actions_overdue" + a + " 0",
          "compliance_evidence_valid" + a + " 0", "compliance_metrics_up 1",
          R"(compliance_readiness_score{framework="iso27001-2022",clause="5.1"} 0)",
          R"(compliance_requirement_conformity{framework="iso27001-2022",clause="5.1",requirement="5.1.a",conformity="not_assessed"} 1)",
          R"(compliance_requirement_conformity{framework="iso27001-2022",clause="5.1",requirement="5.1.a",conformity="conforming"} 0)",
          R"(grpc_server_handled_total{grpc_code="OK",grpc_method="CreateAction",grpc_service="compliance.v1.ActionService",grpc_type="unary"} 2)",
          R"(grpc_server_started_total{grpc_method="WatchAuditEvents",grpc_service="compliance.v1.AuditService",grpc_type="server_stream"} 0)",
          R"(grpc_server_handled_total{grpc_code="NotFound",grpc_method="GetRequirement",grpc_service="compliance.v1.RequirementService",grpc_type="unary"} 0)"}) {
    EXPECT_NE(scrape.find(line + "\n"), std::string::npos) << line;
  }
  EXPECT_NE(scrape.find("compliance_leadership_action_oldest_open_due_timestamp_seconds" + e),
            std::string::npos);
  EXPECT_EQ(scrape.find("compliance_leadership_action_oldest_open_due_timestamp_seconds" + a),
            std::string::npos)
      << "only where open actions exist";
  EXPECT_NE(scrape.find("grpc_server_handling_seconds_bucket{"), std::string::npos);
  EXPECT_NE(scrape.find("compliance_build_info{version="), std::string::npos);
  EXPECT_NE(scrape.find("\ncompliance_audit_pending_events "), std::string::npos);
  EXPECT_NE(scrape.find("compliance_db_pool_connections{state=\"in_use\"}"), std::string::npos);
  // Every degraded path has its series from the start, so that a rate() over it exists.
  for (const char* path : {"pool_timeout", "database_unreachable", "connection_lost",
                           "audit_worker_restart", "witness_write_failed", "jwks_fetch_failed"}) {
    const std::string line = std::string("compliance_degraded_total{path=\"") + path + "\"} 0\n";
    EXPECT_NE(scrape.find(line), std::string::npos) << line;
  }
}

double ValueOf(const nlohmann::json& result) {
  return result.empty() ? -1 : std::stod(result[0]["value"][1].get<std::string>());
}

// The shipped alert rules, loaded into a real Prometheus that scrapes the real server.
TEST_F(MetricsTest, PrometheusSeesTheOverdueActionAndItsAlert) {
  PrometheusProcess prometheus(server_.metrics_address(),
                               ProjectRoot() + "/deploy/prometheus/alerts.yml");
  const std::string overdue = R"(compliance_leadership_actions_overdue{requirement="5.1.e"})";
  ASSERT_TRUE(prometheus.WaitFor(
      overdue, [](const auto& r) { return ValueOf(r) == 0; }, 60))
      << "Prometheus never scraped the server";

  const auto action = CreateAction("5.1.e", -600);
  EXPECT_TRUE(prometheus.WaitFor(
      overdue, [](const auto& r) { return ValueOf(r) == 1; }, 30));
  EXPECT_TRUE(
      prometheus.WaitFor(R"(ALERTS{alertname="LeadershipActionOverdue",requirement="5.1.e"})",
                         [](const auto& r) {
                           return !r.empty() && (r[0]["metric"]["alertstate"] == "pending" ||
                                                 r[0]["metric"]["alertstate"] == "firing");
                         },
                         30));

  Complete(action);
  EXPECT_TRUE(prometheus.WaitFor(
      overdue, [](const auto& r) { return ValueOf(r) == 0; }, 30));
}

}  // namespace
}  // namespace compliance::testing
