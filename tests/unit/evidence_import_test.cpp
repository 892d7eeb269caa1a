#include "evidence_import.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/status.h"
#include "cli_values.h"
#include "csv.h"
#include "evidence_values.h"
#include "import_requests.h"
#include "progress.h"

namespace compliance::cli {
namespace {

std::vector<std::vector<std::string>> Fields(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> fields;
  for (const auto& record : records) fields.push_back(record.fields);
  return fields;
}

TEST(Csv, SplitsFieldsAndRecords) {
  auto records = ParseCsv("a,b,c\n1,,3\r\nx,y,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records), (std::vector<std::vector<std::string>>{
                                  {"a", "b", "c"}, {"1", "", "3"}, {"x", "y", ""}}));
  EXPECT_EQ((*records)[2].line, 3u);
}

TEST(Csv, QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks) {
  auto records = ParseCsv(
      "title,description\n"
      "\"Budget, FY27\",\"He said \"\"approved\"\"\"\n"
      "\"two\nlines\",\"crlf\r\ninside\"\r\n"
      "\"\",last");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1].fields,
            (std::vector<std::string>{"Budget, FY27", "He said \"approved\""}));
  EXPECT_EQ((*records)[2].fields, (std::vector<std::string>{"two\nlines", "crlf\r\ninside"}));
  EXPECT_EQ((*records)[3].fields, (std::vector<std::string>{"", "last"}));
  // Records start on the line they begin on, counting breaks inside quotes.
  EXPECT_EQ((*records)[1].line, 2u);
  EXPECT_EQ((*records)[2].line, 3u);
  EXPECT_EQ((*records)[3].line, 6u);
}

TEST(Csv, SkipsBomAndBlankLinesAndKeepsTrailingEmptyField) {
  auto records = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\n\n  \n1,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records), (std::vector<std::vector<std::string>>{{"a", "b"}, {"1", ""}}));
  EXPECT_EQ((*records)[1].line, 4u);
  EXPECT_TRUE(ParseCsv("").value().empty());
}

TEST(Csv, RejectsUnclosedQuotesAndTextAfterAClosingQuote) {
  auto unclosed = ParseCsv("a,b\n1,\"open\nstill open\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.status().message().find("line 2"), std::string::npos) << unclosed.status();
  auto trailing = ParseCsv("a\n\"x\"y\n");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.status().message().find("line 2"), std::string::npos) << trailing.status();
}

TEST(EvidenceKind, AcceptsWordsWithDashOrUnderscoreAndEnumNames) {
  EXPECT_EQ(*ParseEvidenceKind("training-record"), 6);
  EXPECT_EQ(*ParseEvidenceKind("training_record"), 6);
  EXPECT_EQ(*ParseEvidenceKind("Meeting-Minutes"), 3);
  EXPECT_EQ(*ParseEvidenceKind("EVIDENCE_KIND_POLICY"), 1);
  EXPECT_EQ(*ParseEvidenceKind("other"), 11);
  EXPECT_EQ(*ParseEvidenceKind("improvement-record"), 10);
  for (const char* bad : {"", "unspecified", "EVIDENCE_KIND_UNSPECIFIED", "training", "memo"}) {
    EXPECT_FALSE(ParseEvidenceKind(bad).ok()) << bad;
  }
  for (int kind = 1; kind <= 11; ++kind)
    EXPECT_EQ(*ParseEvidenceKind(EvidenceKindWord(kind)), kind);
}

TEST(EvidenceState, AcceptsTheThreeStates) {
  EXPECT_EQ(*ParseEvidenceState("active"), 1);
  EXPECT_EQ(*ParseEvidenceState("SUPERSEDED"), 2);
  EXPECT_EQ(*ParseEvidenceState("EVIDENCE_STATE_WITHDRAWN"), 3);
  EXPECT_FALSE(ParseEvidenceState("expired").ok());
  EXPECT_FALSE(ParseEvidenceState("unspecified").ok());
}

TEST(EvidenceValues, NamesLabelsAndFileUris) {
  EXPECT_EQ(ExpandEvidenceName("0b6f3c1e-9a43-4c57-8a1e-2f1d7c9e5b10"),
            "evidence/0b6f3c1e-9a43-4c57-8a1e-2f1d7c9e5b10");
  EXPECT_EQ(ExpandEvidenceName("evidence/abc"), "evidence/abc");
  EXPECT_EQ(ShortEvidenceName("evidence/abc"), "abc");
  EXPECT_EQ(ShortRequirementName("frameworks/iso27001-2022/requirements/5.1.f"), "5.1.f");
  EXPECT_EQ(*ParseLabel("team=hr"), std::make_pair(std::string("team"), std::string("hr")));
  EXPECT_EQ(ParseLabel("note=a=b")->second, "a=b");
  EXPECT_FALSE(ParseLabel("=x").ok());
  EXPECT_FALSE(ParseLabel("novalue").ok());
  EXPECT_EQ(FileUri("/tmp/My Docs/plan #1.pdf"), "file:///tmp/My%20Docs/plan%20%231.pdf");
  EXPECT_EQ(FileUri("/a/./b/../c.txt"), "file:///a/c.txt");
}

constexpr char kHeader[] =
    "requirements,kind,title,uri,description,sha256,source,external_id,collect_time,"
    "expire_time,labels,request_id\n";

TEST(CsvImport, MapsColumnsByHeaderName) {
  auto rows = ParseCsvImport(
      absl::StrCat(kHeader,
                   "5.1.a;5.1.c,policy,\"Policy, v3\",https://dms/1,\"multi\nline\",,hr,E-1,"
                   "2026-03-01T09:00:00Z,,team=hr; year = 2026,\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  const ImportRow& row = (*rows)[0];
  EXPECT_EQ(row.line, 2u);
  ASSERT_TRUE(row.record.ok()) << row.record.status();
  EXPECT_EQ(row.record->requirements, (std::vector<std::string>{"5.1.a", "5.1.c"}));
  EXPECT_EQ(row.record->title, "Policy, v3");
  EXPECT_EQ(row.record->description, "multi\nline");
  EXPECT_EQ(row.record->source, "hr");
  EXPECT_EQ(row.record->external_id, "E-1");
  EXPECT_EQ(row.record->labels,
            (std::map<std::string, std::string>{{"team", "hr"}, {"year", "2026"}}));
}

TEST(CsvImport, ColumnsMayBeReorderedAndOptionalOnesLeftOut) {
  auto rows = ParseCsvImport(
      "Title,URI,Kind,Collect-Time,Requirements\n"
      "T,https://x,other,2026-01-01T00:00:00Z,5.1.b 5.1.d\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_TRUE((*rows)[0].record.ok());
  EXPECT_EQ((*rows)[0].record->kind, "other");
  EXPECT_EQ((*rows)[0].record->requirements, (std::vector<std::string>{"5.1.b", "5.1.d"}));
}

TEST(CsvImport, UnknownOrMissingColumnsFailTheWholeFile) {
  auto unknown = ParseCsvImport("requirements,kind,title,uri,collect_time,owner,colour\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("\"owner\", \"colour\""), std::string::npos)
      << unknown.status();
  auto missing = ParseCsvImport("requirements,kind,title\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("uri, collect_time"), std::string::npos)
      << missing.status();
  EXPECT_FALSE(ParseCsvImport("requirements,kind,title,uri,collect_time,title\n").ok());
  EXPECT_FALSE(ParseCsvImport("").ok());
}

TEST(CsvImport, BadRowsAreRowErrorsWithTheirLine) {
  auto rows = ParseCsvImport(
      "requirements,kind,title,uri,collect_time,labels\n"
      "5.1.a,policy,T,https://x\n"
      "5.1.a,policy,T,https://x,2026-01-01T00:00:00Z,broken\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].line, 2u);
  EXPECT_FALSE((*rows)[0].record.ok());
  EXPECT_EQ((*rows)[1].line, 3u);
  ASSERT_FALSE((*rows)[1].record.ok());
  EXPECT_NE((*rows)[1].record.status().message().find("labels"), std::string::npos);
}

TEST(JsonlImport, ReadsObjectsPerLine) {
  const auto rows = ParseJsonlImport(
      "{\"requirements\":[\"5.1.e\"],\"kind\":\"communication\",\"title\":\"All-hands\","
      "\"uri\":\"https://x\",\"collect_time\":\"2026-02-01T10:00:00Z\",\"labels\":{\"a\":\"b\"},"
      "\"external_id\":42}\n"
      "\n"
      "[1,2]\n"
      "{\"title\":\"x\",\"owner\":\"me\"}\n"
      "not json\r\n");
  ASSERT_EQ(rows.size(), 4u);
  ASSERT_TRUE(rows[0].record.ok()) << rows[0].record.status();
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[0].record->requirements, (std::vector<std::string>{"5.1.e"}));
  EXPECT_EQ(rows[0].record->labels.at("a"), "b");
  EXPECT_EQ(rows[0].record->external_id, "42");
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_FALSE(rows[1].record.ok());
  EXPECT_EQ(rows[2].line, 4u);
  ASSERT_FALSE(rows[2].record.ok());
  EXPECT_NE(rows[2].record.status().message().find("\"owner\""), std::string::npos);
  EXPECT_EQ(rows[3].line, 5u);
  EXPECT_FALSE(rows[3].record.ok());
}

ImportRecord GoodRecord() {
  ImportRecord record;
  record.requirements = {"5.1.f", "frameworks/iso27001-2022/requirements/5.1.a"};
  record.kind = "training_record";
  record.title = "Awareness training";
  record.uri = "https://lms.example.com/course/7";
  record.sha256 = std::string(64, 'A');
  record.external_id = "T-7";
  record.collect_time = "2026-03-01T09:00:00Z";
  record.expire_time = "2027-03-01T09:00:00+01:00";
  record.labels = {{"team", "hr"}};
  return record;
}

TEST(ToCreateRequest, MapsEveryField) {
  auto request = ToCreateRequest(GoodRecord(), "workday");
  ASSERT_TRUE(request.ok()) << request.status();
  const v1::Evidence& e = request->evidence();
  ASSERT_EQ(e.requirements_size(), 2);
  EXPECT_EQ(e.requirements(0), "frameworks/iso27001-2022/requirements/5.1.f");
  EXPECT_EQ(e.requirements(1), "frameworks/iso27001-2022/requirements/5.1.a");
  EXPECT_EQ(e.kind(), v1::EVIDENCE_KIND_TRAINING_RECORD);
  EXPECT_EQ(e.title(), "Awareness training");
  EXPECT_EQ(e.sha256(), std::string(64, 'a'));
  EXPECT_EQ(e.source(), "workday");  // the default source
  EXPECT_EQ(e.external_id(), "T-7");
  EXPECT_EQ(e.collect_time().seconds(), absl::ToUnixSeconds(*ParseTime("2026-03-01T09:00:00Z")));
  EXPECT_EQ(e.expire_time().seconds(), absl::ToUnixSeconds(*ParseTime("2027-03-01T08:00:00Z")));
  EXPECT_EQ(e.labels().at("team"), "hr");
  EXPECT_TRUE(e.supersedes().empty());
}

TEST(ToCreateRequest, RowSourceWinsOverTheDefault) {
  ImportRecord record = GoodRecord();
  record.source = "lms";
  EXPECT_EQ(ToCreateRequest(record, "workday")->evidence().source(), "lms");
  EXPECT_EQ(ToCreateRequest(GoodRecord(), "")->evidence().source(), "");
}

TEST(ToCreateRequest, RequestIdIsDeterministicAndFollowsTheContent) {
  const auto first = ToCreateRequest(GoodRecord(), "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->request_id().size(), 7u + 40u);
  EXPECT_EQ(first->request_id().rfind("import-", 0), 0u);

  ImportRecord reordered = GoodRecord();
  std::swap(reordered.requirements[0], reordered.requirements[1]);
  EXPECT_EQ(ToCreateRequest(reordered, "")->request_id(), first->request_id());
  ImportRecord explicit_manual = GoodRecord();
  explicit_manual.source = "manual";
  EXPECT_EQ(ToCreateRequest(explicit_manual, "")->request_id(), first->request_id());

  ImportRecord changed = GoodRecord();
  changed.title = "Awareness training (updated)";
  EXPECT_NE(ToCreateRequest(changed, "")->request_id(), first->request_id());
  ImportRecord labelled = GoodRecord();
  labelled.labels["year"] = "2026";
  EXPECT_NE(ToCreateRequest(labelled, "")->request_id(), first->request_id());

  ImportRecord given = GoodRecord();
  given.request_id = "hr-sync-2026-03-01-7";
  EXPECT_EQ(ToCreateRequest(given, "")->request_id(), "hr-sync-2026-03-01-7");
}

TEST(ToCreateRequest, LocalChecksAreAboutTheFileAndNameTheColumn) {
  const auto error = [](ImportRecord record) {
    auto request = ToCreateRequest(record, "");
    return request.ok() ? std::string("ok") : std::string(request.status().message());
  };
  ImportRecord r = GoodRecord();
  r.kind = "memo";
  EXPECT_EQ(error(r).rfind("kind: ", 0), 0u) << error(r);
  r = GoodRecord();
  r.kind = "";
  EXPECT_EQ(error(r).rfind("kind: is required", 0), 0u) << error(r);
  r = GoodRecord();
  r.collect_time = "";
  EXPECT_EQ(error(r).rfind("collect_time: is required", 0), 0u) << error(r);
  r = GoodRecord();
  r.collect_time = "yesterday";
  EXPECT_EQ(error(r).rfind("collect_time: ", 0), 0u) << error(r);
  r = GoodRecord();
  r.expire_time = "next year";
  EXPECT_EQ(error(r).rfind("expire_time: ", 0), 0u) << error(r);
  r = GoodRecord();
  r.requirements.clear();
  EXPECT_EQ(error(r).rfind("requirements: is required", 0), 0u) << error(r);
  // Values that only the server's rules reject are sent as they are: the server judges them
  // and the import reports its answer with the row's line.
  r = GoodRecord();
  r.title = "";
  EXPECT_EQ(error(r), "ok");
  r = GoodRecord();
  r.collect_time = "2030-01-01T00:00:00Z";  // in the future
  EXPECT_EQ(error(r), "ok");
}

v1::CreateEvidenceRequest Request(const std::string& source, const std::string& external_id,
                                  const std::string& request_id) {
  v1::CreateEvidenceRequest request;
  request.mutable_evidence()->set_source(source);
  request.mutable_evidence()->set_external_id(external_id);
  request.set_request_id(request_id);
  return request;
}

using Batches = std::vector<std::vector<size_t>>;

TEST(PlanBatches, CutsAtTheBatchSize) {
  std::vector<v1::CreateEvidenceRequest> requests;
  for (int i = 0; i < 5; ++i) requests.push_back(Request("", "", absl::StrCat("r", i)));
  EXPECT_EQ(PlanBatches(requests, 2), (Batches{{0, 1}, {2, 3}, {4}}));
  EXPECT_EQ(PlanBatches(requests, 1000), (Batches{{0, 1, 2, 3, 4}}));
  EXPECT_TRUE(PlanBatches({}, 1000).empty());
}

TEST(PlanBatches, FlushesBeforeARepeatedExternalKeyOrRequestId) {
  const std::vector<v1::CreateEvidenceRequest> requests = {
      Request("hr", "E-1", "r0"),
      Request("finance", "E-1", "r1"),  // other source: no clash
      Request("hr", "E-2", "r2"),
      Request("hr", "E-1", "r3"),  // clashes with 0
      Request("", "", "r4"),
      Request("", "", "r4"),  // same request_id as 4
      Request("manual", "M-1", "r6"),
      Request("", "M-1", "r7"),  // empty source is manual: clashes with 6
  };
  EXPECT_EQ(PlanBatches(requests, 1000), (Batches{{0, 1, 2}, {3, 4}, {5, 6}, {7}}));
}

// What the server sends for an error about `message`'s field (api/status.h).
grpc::Status ServerError(grpc::StatusCode code, const std::string& message) {
  return ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(code), message));
}

TEST(BatchItemIndex, FindsTheItemInTheErrorsDetails) {
  EXPECT_EQ(BatchItemIndex(ServerError(grpc::StatusCode::INVALID_ARGUMENT,
                                       "requests[17].evidence.title: must be 1–200 characters")),
            17u);
  EXPECT_EQ(BatchItemIndex(
                ServerError(grpc::StatusCode::NOT_FOUND,
                            "requests[0].evidence.requirements[2]: requirement x does not exist")),
            0u);
  EXPECT_FALSE(BatchItemIndex(ServerError(grpc::StatusCode::INVALID_ARGUMENT,
                                          "requests: must hold 1–1000 requests"))
                   .has_value());
  // The text alone does not count: without the detail there is no item.
  EXPECT_FALSE(BatchItemIndex(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                           "requests[3].evidence.title: must be set"))
                   .has_value());
}

TEST(BatchItemViolation, NamesTheColumnAsTheFileDoes) {
  const auto title = BatchItemViolation(ServerError(
      grpc::StatusCode::INVALID_ARGUMENT, "requests[4].evidence.title: must be 1–200 characters"));
  ASSERT_TRUE(title.has_value());
  EXPECT_EQ(title->index, 4u);
  EXPECT_EQ(title->column, "title");
  EXPECT_EQ(title->problem, "must be 1–200 characters");
  const auto request_id = BatchItemViolation(
      ServerError(grpc::StatusCode::INVALID_ARGUMENT, "requests[0].request_id: is too long"));
  ASSERT_TRUE(request_id.has_value());
  EXPECT_EQ(request_id->column, "request_id");
}

TEST(ImportSummary, CountsCreatedDeduplicatedAndSuperseded) {
  v1::BatchCreateEvidenceResponse response;
  response.add_evidence();                                    // created
  response.add_evidence()->set_supersedes("evidence/old");    // created, superseding
  response.add_evidence()->set_supersedes("evidence/older");  // deduplicated
  response.add_deduplicated(false);
  response.add_deduplicated(false);
  response.add_deduplicated(true);
  ImportSummary summary;
  summary.Add(response);
  summary.rejected = 2;
  EXPECT_EQ(summary.Line(), "created 2, deduplicated 1, superseded 1, rejected 2");
  const auto json = nlohmann::json::parse(summary.Json());
  EXPECT_EQ(json.at("created"), 2);
  EXPECT_EQ(json.at("deduplicated"), 1);
  EXPECT_EQ(json.at("superseded"), 1);
  EXPECT_EQ(json.at("rejected"), 2);
}

TEST(ImportFormat, ByFlagOrExtension) {
  EXPECT_EQ(*ChooseImportFormat("a/b.csv", ""), ImportFormat::kCsv);
  EXPECT_EQ(*ChooseImportFormat("a/b.JSONL", ""), ImportFormat::kJsonl);
  EXPECT_EQ(*ChooseImportFormat("b.ndjson", ""), ImportFormat::kJsonl);
  EXPECT_EQ(*ChooseImportFormat("b.txt", "jsonl"), ImportFormat::kJsonl);
  EXPECT_FALSE(ChooseImportFormat("b.txt", "").ok());
  EXPECT_FALSE(ChooseImportFormat("-", "").ok());
}

TEST(ProgressBar, RendersAFilledShare) {
  EXPECT_EQ(ProgressBar::Render(5, 10, "rows", 10), "[#####     ]  50% 5/10 rows");
  EXPECT_EQ(ProgressBar::Render(0, 0, "rows", 4), "[####] 100% 0/0 rows");
}

}  // namespace
}  // namespace compliance::cli
