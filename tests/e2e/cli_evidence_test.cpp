// compliancectl evidence: the real CLI against the real server and a fresh database.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "domain/sha256.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CliEvidenceTest : public ::testing::Test {
 protected:
  CliEvidenceTest() {
    char pattern[] = "/tmp/cli-evidence-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~CliEvidenceTest() override { std::filesystem::remove_all(dir_); }

  ProcessResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), CliBinary());
    return RunProcess(args, {"COMPLIANCE_SERVER=" + server_.address()});
  }

  // Writes `content` to a file in this test's folder and returns its path.
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  json ListJson(std::vector<std::string> filters) {
    filters.insert(filters.begin(), {"-o", "json", "evidence", "list"});
    const auto result = Cli(filters);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const json list = json::parse(result.out);
    return list.contains("evidence") ? list.at("evidence") : json::array();
  }

  std::string dir_;
  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

constexpr char kHeader[] =
    "requirements,kind,title,uri,description,source,external_id,collect_time,expire_time,labels\n";

// Row 1 has a quoted description with a comma, doubled quotes and a line break.
std::string HrCsv(const std::string& second_title) {
  return std::string(kHeader) +
         "5.1.f,training-record,Awareness training 2026,https://lms.example.com/c/1,"
         "\"Covers phishing, passwords and \"\"clean desk\"\".\nSigned by HR.\",hr,T-1,"
         "2026-03-01T09:00:00Z,2099-03-01T00:00:00Z,team=hr;year=2026\n"
         "5.1.f,training_record," +
         second_title +
         ",https://lms.example.com/c/2,,hr,T-2,2026-03-02T09:00:00Z,,\n"
         "5.1.a;5.1.c,POLICY,Information security policy v3,https://dms.example.com/p/3,,,,"
         "2026-02-01T00:00:00Z,,\n";
}

TEST_F(CliEvidenceTest, AddWithFileRecordsItsSha256ThenGetListWithdraw) {
  const std::string content = "Board minutes 2026-10-01: ISMS budget approved.\n";
  const std::string path = Write("minutes.txt", content);
  auto add = Cli({"-o", "json", "evidence", "add", "--requirement", "5.1.c", "--requirement",
                  "5.1.e", "--kind", "meeting-minutes", "--title", "Board minutes", "--file", path,
                  "--label", "team=board", "--collect-time", "2026-10-01T12:00:00Z"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const json added = json::parse(add.out).at("evidence");
  EXPECT_EQ(added.at("sha256"), Sha256Hex(content));
  EXPECT_EQ(added.at("uri"), "file://" + path);
  EXPECT_EQ(added.at("kind"), "EVIDENCE_KIND_MEETING_MINUTES");
  EXPECT_EQ(added.at("requirements"), json({"frameworks/iso27001-2022/requirements/5.1.c",
                                            "frameworks/iso27001-2022/requirements/5.1.e"}));
  EXPECT_EQ(added.at("labels").at("team"), "board");
  EXPECT_EQ(added.at("source"), "manual");
  EXPECT_EQ(added.at("state"), "EVIDENCE_STATE_ACTIVE");
  const std::string name = added.at("name");
  const std::string uuid = name.substr(std::string("evidence/").size());

  auto get = Cli({"evidence", "get", uuid});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_TRUE(Contains(get.out, "Board minutes")) << get.out;
  EXPECT_TRUE(Contains(get.out, "meeting-minutes")) << get.out;
  EXPECT_TRUE(Contains(get.out, Sha256Hex(content))) << get.out;
  auto get_full = Cli({"-o", "json", "evidence", "get", name});
  ASSERT_EQ(get_full.exit_code, 0) << get_full.err;
  EXPECT_EQ(json::parse(get_full.out).at("evidence").at("name"), name);

  auto list = Cli({"evidence", "list", "--requirement", "5.1.e"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "NAME")) << list.out;
  EXPECT_TRUE(Contains(list.out, uuid)) << list.out;
  EXPECT_TRUE(Contains(list.out, "active")) << list.out;
  EXPECT_TRUE(ListJson({"--requirement", "5.1.b"}).empty());
  EXPECT_EQ(ListJson({"--kind", "EVIDENCE_KIND_MEETING_MINUTES"}).size(), 1u);
  EXPECT_TRUE(ListJson({"--kind", "policy"}).empty());

  EXPECT_EQ(Cli({"evidence", "withdraw", uuid}).exit_code, 2);  // --reason missing
  auto stale = Cli({"evidence", "withdraw", uuid, "--reason", "x", "--etag", "e999"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_TRUE(Contains(stale.err, "ABORTED")) << stale.err;
  auto withdraw = Cli({"evidence", "withdraw", uuid, "--reason", "wrong meeting"});
  ASSERT_EQ(withdraw.exit_code, 0) << withdraw.err;
  EXPECT_TRUE(Contains(withdraw.out, "withdrawn")) << withdraw.out;
  EXPECT_TRUE(Contains(withdraw.out, "wrong meeting")) << withdraw.out;
  auto again = Cli({"evidence", "withdraw", name, "--reason", "twice"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Contains(again.err, "FAILED_PRECONDITION")) << again.err;
  EXPECT_EQ(ListJson({"--state", "withdrawn"}).size(), 1u);
  EXPECT_TRUE(ListJson({"--state", "active"}).empty());
}

TEST_F(CliEvidenceTest, AddWithTheSameRequestIdTwiceWritesOnce) {
  const std::vector<std::string> add = {"evidence",       "add",
                                        "--requirement",  "5.1.b",
                                        "--kind",         "objectives",
                                        "--title",        "ISMS objectives 2027",
                                        "--uri",          "https://dms.example.com/o/1",
                                        "--sha256",       std::string(64, 'A'),
                                        "--collect-time", "2026-11-01T00:00:00Z",
                                        "--request-id",   "objectives-2027"};
  auto first = Cli(add);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(Contains(first.out, std::string(64, 'a'))) << first.out;
  auto second = Cli(add);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(Contains(second.out, "Nothing was written")) << second.out;
  EXPECT_EQ(ListJson({}).size(), 1u);
}

TEST_F(CliEvidenceTest, GetListWithdrawAndAddExitCodes) {
  auto missing = Cli({"evidence", "get", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err, "NOT_FOUND")) << missing.err;
  EXPECT_TRUE(Contains(missing.err, "evidence list")) << missing.err;
  auto malformed = Cli({"evidence", "get", "not-a-uuid"});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_TRUE(Contains(malformed.err, "INVALID_ARGUMENT")) << malformed.err;
  EXPECT_EQ(Cli({"evidence", "withdraw", "00000000-0000-4000-8000-000000000000", "--reason", "x"})
                .exit_code,
            1);
  auto unknown_requirement = Cli({"evidence", "add", "--requirement", "5.1.z", "--kind", "other",
                                  "--title", "T", "--uri", "https://x.example/1"});
  EXPECT_EQ(unknown_requirement.exit_code, 1);
  EXPECT_TRUE(Contains(unknown_requirement.err, "NOT_FOUND")) << unknown_requirement.err;
  auto future = Cli({"evidence", "add", "--requirement", "5.1.a", "--kind", "other", "--title", "T",
                     "--uri", "https://x.example/1", "--collect-time", "2099-01-01T00:00:00Z"});
  EXPECT_EQ(future.exit_code, 1);
  EXPECT_TRUE(Contains(future.err, "collect_time")) << future.err;

  const std::vector<std::string> base = {"evidence", "add", "--requirement", "5.1.a",
                                         "--title",  "T",   "--uri",         "https://x.example/1"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args).exit_code;
  };
  const std::string file = Write("doc.txt", "x");
  EXPECT_EQ(with({}), 2);                                                     // no --kind
  EXPECT_EQ(with({"--kind", "memo"}), 2);                                     // unknown kind
  EXPECT_EQ(with({"--kind", "other", "--collect-time", "yesterday"}), 2);     // bad time
  EXPECT_EQ(with({"--kind", "other", "--label", "no-equals-sign"}), 2);       // bad label
  EXPECT_EQ(with({"--kind", "other", "--file", file, "--sha256", "ab"}), 2);  // exclusive
  EXPECT_EQ(with({"--kind", "other", "--file", dir_ + "/missing.pdf"}), 2);   // no such file
  EXPECT_EQ(Cli({"evidence", "add", "--requirement", "5.1.a", "--kind", "other", "--title", "T"})
                .exit_code,
            2);  // neither --uri nor --file
  EXPECT_EQ(Cli({"evidence", "list", "--state", "expired"}).exit_code, 2);
  EXPECT_EQ(Cli({"evidence", "list", "--limit", "-1"}).exit_code, 2);
  EXPECT_EQ(Cli({"evidence", "get"}).exit_code, 2);
  EXPECT_EQ(Cli({"evidence", "frobnicate"}).exit_code, 2);
  EXPECT_TRUE(ListJson({}).empty());

  for (const char* command : {"add", "get", "list", "withdraw", "import"}) {
    auto help = Cli({"evidence", command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_TRUE(Contains(help.out, "Example: compliancectl evidence " + std::string(command)))
        << help.out;
  }
}

TEST_F(CliEvidenceTest, ListPagesThroughEverythingAndHonoursLimit) {
  std::string csv = "requirements,kind,title,uri,collect_time,external_id\n";
  for (int i = 0; i < 120; ++i) {
    csv += "5.1.d,role-assignment,Role " + std::to_string(i) + ",https://hr.example/r/" +
           std::to_string(i) + ",2026-05-01T00:00:00Z,R-" + std::to_string(i) + "\n";
  }
  auto import = Cli({"evidence", "import", Write("roles.csv", csv), "--batch-size", "50"});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  EXPECT_EQ(import.out, "created 120, deduplicated 0, superseded 0, rejected 0\n");
  EXPECT_EQ(ListJson({}).size(), 120u);
  EXPECT_EQ(ListJson({"--limit", "7"}).size(), 7u);
  auto limited = Cli({"evidence", "list", "--limit", "3"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_TRUE(Contains(limited.err, "--limit")) << limited.err;
}

TEST_F(CliEvidenceTest, ImportingTheSameCsvTwiceWritesNothingNew) {
  const std::string path = Write("hr.csv", HrCsv("Secure coding training"));
  auto first = Cli({"evidence", "import", path});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "created 3, deduplicated 0, superseded 0, rejected 0\n");
  EXPECT_TRUE(first.err.empty()) << first.err;  // no progress bar: stderr is not a terminal

  const json all = ListJson({});
  ASSERT_EQ(all.size(), 3u);
  bool found = false;
  for (const auto& e : all) {
    if (e.value("externalId", "") != "T-1") continue;
    found = true;
    EXPECT_EQ(e.at("description"), "Covers phishing, passwords and \"clean desk\".\nSigned by HR.");
    EXPECT_EQ(e.at("labels"), json({{"team", "hr"}, {"year", "2026"}}));
    EXPECT_EQ(e.at("source"), "hr");
    EXPECT_EQ(e.at("kind"), "EVIDENCE_KIND_TRAINING_RECORD");
    EXPECT_EQ(e.at("expireTime"), "2099-03-01T00:00:00Z");
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(ListJson({"--requirement", "5.1.c"}).size(), 1u);

  auto second = Cli({"evidence", "import", path});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "created 0, deduplicated 3, superseded 0, rejected 0\n");
  EXPECT_EQ(ListJson({}).size(), 3u);

  // One row changed at its source: a new record that supersedes the old one.
  const std::string changed = Write("hr-changed.csv", HrCsv("Secure coding training (2nd run)"));
  auto third = Cli({"evidence", "import", changed});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(third.out, "created 1, deduplicated 2, superseded 1, rejected 0\n");
  const json superseded = ListJson({"--state", "superseded"});
  ASSERT_EQ(superseded.size(), 1u);
  EXPECT_EQ(superseded[0].at("externalId"), "T-2");
  EXPECT_EQ(superseded[0].at("title"), "Secure coding training");
  EXPECT_EQ(ListJson({"--state", "active"}).size(), 3u);

  auto fourth = Cli({"-o", "json", "evidence", "import", changed});
  ASSERT_EQ(fourth.exit_code, 0) << fourth.err;
  EXPECT_EQ(json::parse(fourth.out),
            json({{"created", 0}, {"deduplicated", 3}, {"superseded", 0}, {"rejected", 0}}));
}

TEST_F(CliEvidenceTest, TheSameExternalIdTwiceInOneFileSupersedesInOrder) {
  const std::string path = Write("twice.csv", std::string(kHeader) +
                                                  "5.1.g,role-assignment,CISO appointed,"
                                                  "https://hr.example/1,,hr,ROLE-1,"
                                                  "2026-01-01T00:00:00Z,,\n"
                                                  "5.1.g,role-assignment,CISO re-appointed,"
                                                  "https://hr.example/2,,hr,ROLE-1,"
                                                  "2026-06-01T00:00:00Z,,\n"
                                                  "5.1.g,role-assignment,CISO re-appointed,"
                                                  "https://hr.example/2,,hr,ROLE-1,"
                                                  "2026-06-01T00:00:00Z,,\n");
  auto result = Cli({"evidence", "import", path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "created 2, deduplicated 1, superseded 1, rejected 0\n");
  const json active = ListJson({"--state", "active"});
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].at("title"), "CISO re-appointed");
}

TEST_F(CliEvidenceTest, ImportsJsonLinesWithAJsonSummary) {
  const std::string path = Write(
      "lms.jsonl",
      "{\"requirements\":[\"5.1.f\"],\"kind\":\"training-record\",\"title\":\"Course A\","
      "\"uri\":\"https://lms.example.com/a\",\"external_id\":\"A\","
      "\"collect_time\":\"2026-04-01T08:00:00Z\",\"labels\":{\"course\":\"a\"}}\n"
      "\n"
      "{\"requirements\":[\"5.1.f\",\"5.1.h\"],\"kind\":\"TRAINING_RECORD\",\"title\":\"Course B\","
      "\"uri\":\"https://lms.example.com/b\",\"external_id\":\"B\","
      "\"collect_time\":\"2026-04-02T08:00:00+02:00\"}\n");
  auto result = Cli({"-o", "json", "evidence", "import", path, "--source", "lms"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out),
            json({{"created", 2}, {"deduplicated", 0}, {"superseded", 0}, {"rejected", 0}}));
  EXPECT_EQ(ListJson({"--source", "lms"}).size(), 2u);
  EXPECT_EQ(ListJson({"--requirement", "5.1.h"}).size(), 1u);

  auto again = Cli({"evidence", "import", path, "--source", "lms"});
  EXPECT_EQ(again.out, "created 0, deduplicated 2, superseded 0, rejected 0\n");
  // The same rows read as CSV-less stdin need --format.
  EXPECT_EQ(Cli({"evidence", "import", Write("lms.txt", "{}\n")}).exit_code, 2);
  auto explicit_format =
      Cli({"evidence", "import", dir_ + "/lms.txt", "--format", "jsonl", "--source", "lms"});
  EXPECT_EQ(explicit_format.exit_code, 1);
  EXPECT_EQ(explicit_format.out, "created 0, deduplicated 0, superseded 0, rejected 1\n");
}

TEST_F(CliEvidenceTest, BadRowsAreReportedWithTheirLineAndCounted) {
  const std::string header = "requirements,kind,title,uri,collect_time\n";
  const std::string good1 = "5.1.a,policy,Policy v1,https://dms.example/1,2026-01-01T00:00:00Z\n";
  const std::string bad_kind = "5.1.a,memo,Memo,https://dms.example/2,2026-01-01T00:00:00Z\n";
  const std::string bad_time = "5.1.a,policy,Policy v2,https://dms.example/3,last tuesday\n";
  const std::string no_such_requirement =
      "5.1.z,policy,Policy v3,https://dms.example/4,2026-01-01T00:00:00Z\n";
  const std::string good2 =
      "5.1.b,objectives,Objectives,https://dms.example/5,2026-01-01T00:00:00Z\n";

  // Default batch size: the server rejects the whole batch holding line 5.
  const std::string all =
      Write("all.csv", header + good1 + bad_kind + bad_time + no_such_requirement + good2);
  auto batch = Cli({"evidence", "import", all});
  EXPECT_EQ(batch.exit_code, 1);
  EXPECT_EQ(batch.out, "created 0, deduplicated 0, superseded 0, rejected 5\n");
  EXPECT_TRUE(Contains(batch.err, "all.csv line 3: kind: \"memo\" is not an evidence kind"))
      << batch.err;
  EXPECT_TRUE(Contains(batch.err, "all.csv line 4: collect_time:")) << batch.err;
  EXPECT_TRUE(Contains(batch.err, "all.csv line 5: NOT_FOUND: requests[1]")) << batch.err;
  EXPECT_TRUE(Contains(batch.err, "batch of 3 rows")) << batch.err;
  EXPECT_TRUE(ListJson({}).empty());

  // One row per batch: only the bad rows are lost.
  auto single = Cli({"evidence", "import", all, "--batch-size", "1"});
  EXPECT_EQ(single.exit_code, 1);
  EXPECT_EQ(single.out, "created 2, deduplicated 0, superseded 0, rejected 3\n");
  EXPECT_TRUE(Contains(single.err, "line 5: NOT_FOUND")) << single.err;
  EXPECT_EQ(ListJson({}).size(), 2u);

  // A field only the server's rules catch locally: the title is too long.
  const std::string long_title =
      "5.1.a,policy," + std::string(201, 't') + ",https://dms.example/6,2026-01-01T00:00:00Z\n";
  auto local = Cli({"evidence", "import", Write("long.csv", header + long_title)});
  EXPECT_EQ(local.exit_code, 1);
  EXPECT_TRUE(Contains(local.err, "long.csv line 2: title:")) << local.err;
}

// The server judges the values: each row it finds invalid is reported with its line, and the
// rest of its batch is sent again without it, so a bad row costs only itself.
TEST_F(CliEvidenceTest, RowsTheServerRejectsAreDroppedAndTheirBatchIsResent) {
  const std::string long_title(201, 't');
  const std::string path =
      Write("mixed.csv",
            "requirements,kind,title,uri,collect_time\n"
            "5.1.a,policy,Policy v1,https://dms.example/1,2026-01-01T00:00:00Z\n"
            "5.1.a,policy," +
                long_title + ",https://dms.example/2,2026-01-01T00:00:00Z\n" +
                "5.1.a,policy,Policy v3,not a uri,2026-01-01T00:00:00Z\n"
                "5.1.b,objectives,Objectives,https://dms.example/4,"
                "2026-01-01T00:00:00Z\n");
  auto mixed = Cli({"evidence", "import", path});
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_EQ(mixed.out, "created 2, deduplicated 0, superseded 0, rejected 2\n");
  EXPECT_TRUE(Contains(mixed.err, "mixed.csv line 3: title:")) << mixed.err;
  EXPECT_TRUE(Contains(mixed.err, "mixed.csv line 4: uri:")) << mixed.err;
  EXPECT_EQ(ListJson({}).size(), 2u);
  auto again = Cli({"evidence", "import", path});
  EXPECT_EQ(again.out, "created 0, deduplicated 2, superseded 0, rejected 2\n");
}

TEST_F(CliEvidenceTest, FilesThatCannotBeReadAreUsageErrors) {
  auto unknown = Cli({"evidence", "import",
                      Write("extra.csv", "requirements,kind,title,uri,collect_time,owner\n")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(Contains(unknown.err, "unknown column \"owner\"")) << unknown.err;
  auto unclosed = Cli({"evidence", "import",
                       Write("open.csv", "requirements,kind,title,uri,collect_time\n\"5.1.a\n")});
  EXPECT_EQ(unclosed.exit_code, 2);
  EXPECT_TRUE(Contains(unclosed.err, "line 2")) << unclosed.err;
  EXPECT_EQ(Cli({"evidence", "import", dir_ + "/missing.csv"}).exit_code, 2);
  EXPECT_EQ(Cli({"evidence", "import", Write("x.csv", ""), "--batch-size", "1001"}).exit_code, 2);
  EXPECT_EQ(Cli({"evidence", "import", Write("y.csv", ""), "--format", "xml"}).exit_code, 2);
}

TEST_F(CliEvidenceTest, ImportStopsWhenTheServerIsUnreachable) {
  const std::string path = Write("hr.csv", HrCsv("Secure coding training"));
  const auto result = RunProcess(
      {CliBinary(), "--server", "127.0.0.1:1", "--timeout", "2s", "evidence", "import", path});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "UNAVAILABLE")) << result.err;
  EXPECT_TRUE(Contains(result.err, "3 of 3 valid rows were not sent")) << result.err;
  EXPECT_TRUE(Contains(result.err, "safe")) << result.err;
}

}  // namespace
}  // namespace compliance::testing
