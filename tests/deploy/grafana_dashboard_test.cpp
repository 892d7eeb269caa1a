// The shipped Grafana dashboard against the real Prometheus of the end-to-end tests, scraping
// the real server: every template variable resolves, and every panel's PromQL is accepted and
// shows data once the server has an overdue action, a stale review, a conforming requirement,
// evidence from an integration, and some RPCs behind it.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "prometheus_process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

constexpr char kRequirements[] = "frameworks/iso27001-2022/requirements/";

json Dashboard() {
  std::ifstream file(ProjectRoot() + "/deploy/grafana/dashboards/compliance-status.json");
  return json::parse(file);
}

struct Target {
  std::string panel;
  std::string expr;
};

// Every query of every panel, rows' nested panels included.
std::vector<Target> Targets(const json& panels) {
  std::vector<Target> targets;
  for (const auto& panel : panels) {
    for (const auto& target : panel.value("targets", json::array())) {
      targets.push_back({panel.value("title", ""), target.value("expr", "")});
    }
    auto nested = Targets(panel.value("panels", json::array()));
    targets.insert(targets.end(), nested.begin(), nested.end());
  }
  return targets;
}

// Grafana's built-in variables and the dashboard's own, substituted as Grafana would.
std::string Substitute(std::string expr, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    for (const std::string& form : {"${" + name + "}", "$" + name}) {
      for (size_t at = expr.find(form); at != std::string::npos; at = expr.find(form, at)) {
        expr.replace(at, form.size(), value);
        at += value.size();
      }
    }
  }
  return expr;
}

class GrafanaDashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // An overdue action and one due later (5.1.e).
    for (int64_t due : {-600, 3600}) {
      v1::CreateActionRequest request;
      auto* action = request.mutable_action();
      action->set_requirement(std::string(kRequirements) + "5.1.e");
      action->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
      action->set_title("Management review");
      action->set_owner("ceo@example.com");
      *action->mutable_due_time() = TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(due);
      v1::CreateActionResponse response;
      Call(&v1::ActionService::Stub::CreateAction, actions_, request, &response);
    }
    // Evidence delivered by an integration (5.1.a).
    v1::CreateEvidenceRequest evidence;
    auto* e = evidence.mutable_evidence();
    e->add_requirements(std::string(kRequirements) + "5.1.a");
    e->set_kind(v1::EVIDENCE_KIND_TRAINING_RECORD);
    e->set_title("Security awareness 2026");
    e->set_uri("https://hr.example.com/training/2026");
    e->set_source("hr-system");
    *e->mutable_collect_time() = TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(3600);
    v1::CreateEvidenceResponse created;
    Call(&v1::EvidenceService::Stub::CreateEvidence, evidence_, evidence, &created);
    // 5.1.b reviewed as conforming two days ago with a one-day interval: its review is stale.
    v1::UpdateRequirementRequest update;
    update.mutable_requirement()->set_name(std::string(kRequirements) + "5.1.b");
    update.mutable_requirement()->mutable_review_interval()->set_seconds(86400);
    update.mutable_update_mask()->add_paths("review_interval");
    v1::UpdateRequirementResponse updated;
    Call(&v1::RequirementService::Stub::UpdateRequirement, requirements_, update, &updated);
    v1::ReviewRequirementRequest review;
    review.set_name(std::string(kRequirements) + "5.1.b");
    review.set_conformity(v1::CONFORMITY_CONFORMING);
    review.set_notes("board review");
    *review.mutable_review_time() =
        TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(2 * 86400);
    v1::ReviewRequirementResponse reviewed;
    Call(&v1::RequirementService::Stub::ReviewRequirement, requirements_, review, &reviewed);
  }

  template <typename Stub, typename Request, typename Response>
  void Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
            const std::unique_ptr<Stub>& stub, const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    const auto status = ((*stub).*rpc)(&context, request, response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
  std::unique_ptr<v1::ActionService::Stub> actions_ = v1::ActionService::NewStub(server_.Channel());
  std::unique_ptr<v1::EvidenceService::Stub> evidence_ =
      v1::EvidenceService::NewStub(server_.Channel());
  std::unique_ptr<v1::RequirementService::Stub> requirements_ =
      v1::RequirementService::NewStub(server_.Channel());
  PrometheusProcess prometheus_{server_.metrics_address(),
                                ProjectRoot() + "/deploy/prometheus/alerts.yml"};
};

TEST_F(GrafanaDashboardTest, EveryQueryRunsOnTheRealPrometheusAndShowsData) {
  ASSERT_TRUE(prometheus_.WaitFor(
      R"(compliance_source_last_evidence_timestamp_seconds{source="hr-system"})",
      [](const json& result) { return !result.empty(); }, 60))
      << "Prometheus never scraped the server";

  const json dashboard = Dashboard();
  std::map<std::string, std::string> values = {
      {"__rate_interval", "30s"}, {"__interval", "15s"}, {"__range", "1h"}};
  // label_values(selector, label): the first value Prometheus knows, as Grafana preselects.
  const std::regex label_values(R"(^label_values\((.+),\s*(\w+)\)$)");
  for (const auto& variable : dashboard["templating"]["list"]) {
    if (variable["type"] != "query") continue;
    const std::string query = variable["query"].is_object()
                                  ? variable["query"]["query"].get<std::string>()
                                  : variable["query"].get<std::string>();
    std::smatch match;
    ASSERT_TRUE(std::regex_match(query, match, label_values)) << query;
    const auto result = prometheus_.Query(Substitute(match[1], values));
    std::set<std::string> found;
    for (const auto& series : result) found.insert(series["metric"].value(match[2].str(), ""));
    found.erase("");
    ASSERT_FALSE(found.empty()) << "variable " << variable["name"] << ": " << query;
    values[variable["name"]] = *found.begin();
  }
  EXPECT_EQ(values["framework"], "iso27001-2022");
  EXPECT_EQ(values["clause"], "5.1");

  const auto targets = Targets(dashboard["panels"]);
  ASSERT_GE(targets.size(), 20u);
  // Every query; a rate needs two scrapes in its window, so the empty ones get some time.
  std::map<std::string, std::string> problems;  // panel: expression and what went wrong
  const auto give_up = DeadlineIn(30);
  for (const auto& target : targets) {
    const std::string expr = Substitute(target.expr, values);
    ASSERT_EQ(expr.find('$'), std::string::npos) << target.panel << ": " << expr;
    while (true) {
      const json answer = prometheus_.Answer(expr);
      std::string problem;
      if (!answer.is_object()) {
        problem = "no answer";
      } else if (answer.value("status", "") != "success") {
        problem = answer.value("error", answer.dump());
      } else if (answer["data"]["result"].empty()) {
        problem = "no data";
      }
      if (problem.empty() || problem != "no data" || std::chrono::system_clock::now() > give_up) {
        if (!problem.empty()) problems[target.panel + ": " + expr] = problem;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  for (const auto& [where, problem] : problems) ADD_FAILURE() << where << "\n  " << problem;
}

TEST_F(GrafanaDashboardTest, CoversEveryFigureAndAggregatesOverReplicas) {
  std::set<std::string> used;
  // Label names live in selectors ({...}) and groupings (by (...)): out of the way first.
  const std::regex labels(R"(\{[^}]*\}|\bby\s*\([^)]*\))");
  const std::regex metric(R"(\b(compliance|grpc)_[a-z_]+)");
  // A compliance gauge is the same on every replica: each use sits right inside an
  // aggregation (max by (...) (metric), count(metric), ...), never bare.
  const std::regex aggregated(R"((max|min|sum|count|avg)\s*\(\s*$)");
  for (const auto& target : Targets(Dashboard()["panels"])) {
    const std::string expr = std::regex_replace(target.expr, labels, "");
    for (auto it = std::sregex_iterator(expr.begin(), expr.end(), metric);
         it != std::sregex_iterator(); ++it) {
      used.insert(it->str());
      if (it->str().rfind("compliance_", 0) == 0) {
        EXPECT_TRUE(std::regex_search(expr.substr(0, it->position()), aggregated))
            << target.panel << ": " << it->str() << " is not aggregated over replicas";
      }
    }
  }
  for (const std::string& family :
       {"compliance_readiness_score", "compliance_requirement_conformity",
        "compliance_leadership_actions_overdue",
        "compliance_leadership_action_oldest_open_due_timestamp_seconds",
        "compliance_requirement_next_review_timestamp_seconds",
        "compliance_source_last_evidence_timestamp_seconds", "grpc_server_started_total",
        "grpc_server_handled_total", "grpc_server_handling_seconds_bucket"}) {
    EXPECT_EQ(used.count(family), 1u) << "no panel shows " << family;
  }
  // Each family the dashboard names is one the server exports.
  ASSERT_TRUE(prometheus_.WaitFor(
      "compliance_metrics_up", [](const json& result) { return !result.empty(); }, 60));
  for (const auto& name : used) {
    EXPECT_FALSE(prometheus_.Query("count({__name__=\"" + name + "\"})").empty())
        << name << " is not exported";
  }
}

}  // namespace
}  // namespace compliance::testing
