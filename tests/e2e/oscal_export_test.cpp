#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "eventually.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;

class OscalExportTest : public ::testing::Test {
 protected:
  std::string Export() {
    grpc::ClientContext context;
    v1::ExportAssessmentResultsRequest request;
    request.set_framework("iso27001-2022");
    request.set_clause("5.1");
    v1::ExportAssessmentResultsResponse response;
    EXPECT_TRUE(reports_->ExportAssessmentResults(&context, request, &response).ok());
    EXPECT_EQ(response.media_type(), "application/oscal+json");
    return response.document();
  }
  // Validates against NIST's OSCAL 1.0.6 assessment-results schema with ajv.
  void ExpectValid(const std::string& document) {
    char path[] = "/tmp/compliance-oscal.XXXXXX";
    const std::string dir = mkdtemp(path);
    std::ofstream(dir + "/document.json") << document;
    const auto result =
        RunProcess({"node", ProjectRoot() + "/tests/support/validate_oscal.js",
                    ProjectRoot() + "/tests/data/oscal_assessment-results_schema-1.0.6.json",
                    dir + "/document.json"},
                   {"NODE_PATH=" + ProjectRoot() + "/.tools/node_modules"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    RunProcess({"rm", "-rf", dir});
  }
  void Populate() {
    auto evidence = v1::EvidenceService::NewStub(server_.Channel());
    for (const char* id : {"5.1.a", "5.1.c"}) {
      grpc::ClientContext context;
      v1::CreateEvidenceRequest request;
      auto* e = request.mutable_evidence();
      e->add_requirements(std::string("frameworks/iso27001-2022/requirements/") + id);
      e->set_kind(v1::EVIDENCE_KIND_POLICY);
      e->set_title(std::string("Evidence for ") + id);
      e->set_uri("https://docs.example.com/" + std::string(id));
      e->set_sha256(std::string(64, 'a'));
      *e->mutable_collect_time() = TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(60);
      *e->mutable_expire_time() = TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(86400);
      v1::CreateEvidenceResponse response;
      ASSERT_TRUE(evidence->CreateEvidence(&context, request, &response).ok());
    }
    auto actions = v1::ActionService::NewStub(server_.Channel());
    grpc::ClientContext context;
    v1::CreateActionRequest create;
    auto* a = create.mutable_action();
    a->set_requirement("frameworks/iso27001-2022/requirements/5.1.e");
    a->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
    a->set_title("Management review");
    a->set_owner("ceo@example.com");
    *a->mutable_due_time() = TimeUtil::GetCurrentTime() - TimeUtil::SecondsToDuration(3600);
    v1::CreateActionResponse response;
    ASSERT_TRUE(actions->CreateAction(&context, create, &response).ok());
  }
  // The document without the fields that say when it was made.
  static nlohmann::json WithoutTimestamps(const std::string& document) {
    auto json = nlohmann::json::parse(document);
    json["assessment-results"]["metadata"].erase("last-modified");
    for (auto& result : json["assessment-results"]["results"]) result.erase("start");
    return json;
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
  std::unique_ptr<v1::ReportService::Stub> reports_ = v1::ReportService::NewStub(server_.Channel());
};

TEST_F(OscalExportTest, AnEmptyDatabaseExportsAValidDocument) {
  const std::string document = Export();
  ExpectValid(document);
  const auto json = nlohmann::json::parse(document);
  const auto& result = json["assessment-results"]["results"][0];
  EXPECT_EQ(result["findings"].size(), 8u);
  for (const auto& finding : result["findings"]) {
    EXPECT_EQ(finding["target"]["status"]["state"], "not-satisfied");
  }
}

TEST_F(OscalExportTest, AFullDatabaseExportsEvidenceAndRisksStably) {
  Populate();
  const std::string first = Export();
  ExpectValid(first);
  const auto json = nlohmann::json::parse(first);
  const auto& result = json["assessment-results"]["results"][0];
  ASSERT_EQ(result["observations"].size(), 2u);
  const auto& evidence = result["observations"][0]["relevant-evidence"][0];
  EXPECT_EQ(evidence["href"].get<std::string>().rfind("https://docs.example.com/", 0), 0u);
  EXPECT_TRUE(result["observations"][0].contains("expires"));
  ASSERT_EQ(result["risks"].size(), 1u);
  EXPECT_TRUE(result["risks"][0].contains("deadline"));
  EXPECT_EQ(result["findings"][4]["related-risks"].size(), 1u);  // 5.1.e

  // A later export: polled until the clock has moved on, not slept.
  std::string second;
  EXPECT_TRUE(Eventually([&] { return (second = Export()) != first; })) << "timestamps differ";
  EXPECT_EQ(WithoutTimestamps(first), WithoutTimestamps(second));
}

TEST_F(OscalExportTest, ExtremeDatesAndOddIdsStillValidate) {
  auto evidence = v1::EvidenceService::NewStub(server_.Channel());
  grpc::ClientContext context;
  v1::CreateEvidenceRequest request;
  auto* e = request.mutable_evidence();
  e->add_requirements("frameworks/iso27001-2022/requirements/5.1.b");
  e->set_kind(v1::EVIDENCE_KIND_OTHER);
  e->set_title("Never expires");
  e->set_uri("https://docs.example.com/forever");
  e->set_source("legacy");
  e->set_external_id(" padded id\twith tab ");
  e->mutable_collect_time()->set_seconds(-2208988800 - 86400 * 365);  // 1899
  e->mutable_expire_time()->set_seconds(253402300799);                // 9999-12-31
  v1::CreateEvidenceResponse response;
  ASSERT_TRUE(evidence->CreateEvidence(&context, request, &response).ok());
  ExpectValid(Export());

  grpc::ClientContext empty_context;
  v1::ExportAssessmentResultsRequest nothing;
  nothing.set_clause("9.9");
  v1::ExportAssessmentResultsResponse none;
  EXPECT_EQ(reports_->ExportAssessmentResults(&empty_context, nothing, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace compliance::testing
