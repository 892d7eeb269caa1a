// compliancectl readiness, report and export: the real CLI against the real server and a fresh
// database.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using nlohmann::json;

constexpr const char* kLetters[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
constexpr char kEveryGap[] = "not assessed, no valid evidence, no owner";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The line of `text` that starts with `start`, or "" when none does.
std::string LineStartingWith(const std::string& text, const std::string& start) {
  size_t from = 0;
  while (from < text.size()) {
    const size_t end = text.find('\n', from);
    const std::string line =
        text.substr(from, end == std::string::npos ? std::string::npos : end - from);
    if (line.rfind(start, 0) == 0) return line;
    if (end == std::string::npos) break;
    from = end + 1;
  }
  return "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class CliReportTest : public ::testing::Test {
 protected:
  CliReportTest() {
    char pattern[] = "/tmp/cli-report-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~CliReportTest() override { std::filesystem::remove_all(dir_); }

  ProcessResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), CliBinary());
    return RunProcess(args, {"COMPLIANCE_SERVER=" + server_.address()});
  }

  // Runs the CLI and fails the test unless it exits 0.
  void Ok(std::vector<std::string> args) {
    const auto result = Cli(args);
    EXPECT_EQ(result.exit_code, 0) << args[0] << " " << args[1] << ": " << result.err;
  }

  // Gives the requirement `letter` all it needs to be ready: an owner, a conforming review and
  // one piece of valid evidence.
  void MakeReady(const std::string& letter) {
    const std::string req = "5.1." + letter;
    Ok({"requirements", "update", req, "--owner", "ciso@example.com"});
    Ok({"requirements", "review", req, "--conformity", "conforming"});
    Ok({"evidence", "add", "--requirement", req, "--kind", "policy", "--title",
        "Evidence for " + req, "--uri", "https://dms.example.com/doc/" + letter});
  }

  std::string dir_;
  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(CliReportTest, ReadinessListsEveryGapThenSaysAuditReadyOnceAllAreReady) {
  auto empty = Cli({"readiness"});
  EXPECT_EQ(empty.exit_code, 3) << empty.err;
  const std::string header = empty.out.substr(0, empty.out.find('\n'));
  size_t at = 0;
  for (const char* column : {"REQ", "TITLE", "CONFORMITY", "EVIDENCE", "ACTIONS", "GAPS"}) {
    const size_t found = header.find(column, at);
    ASSERT_NE(found, std::string::npos) << column << " in " << header;
    at = found;
  }
  for (const char* letter : kLetters) {
    const std::string row = LineStartingWith(empty.out, std::string("5.1.") + letter + " ");
    EXPECT_TRUE(Contains(row, kEveryGap)) << letter << "\n" << empty.out;
    EXPECT_TRUE(Contains(row, "not assessed")) << row;
    EXPECT_TRUE(Contains(row, "0 open")) << row;
  }
  EXPECT_TRUE(Contains(empty.out, "\nNot audit-ready: 0/8 requirements ready (score 0.00)\n"))
      << empty.out;
  EXPECT_FALSE(Contains(empty.out, "\033")) << empty.out;
  EXPECT_FALSE(Contains(empty.out, "✘")) << empty.out;

  auto empty_json = Cli({"-o", "json", "readiness", "--framework", "iso27001-2022"});
  EXPECT_EQ(empty_json.exit_code, 3) << empty_json.err;
  const json not_ready = json::parse(empty_json.out);
  EXPECT_EQ(not_ready.at("auditReady"), false);
  ASSERT_EQ(not_ready.at("requirements").size(), 8u);
  EXPECT_EQ(not_ready.at("requirements")[0].at("gaps"),
            json({"READINESS_GAP_NOT_ASSESSED", "READINESS_GAP_NO_VALID_EVIDENCE",
                  "READINESS_GAP_NO_OWNER"}));

  for (int i = 0; i < 5; ++i) MakeReady(kLetters[i]);
  auto partly = Cli({"readiness", "--clause", "5.1"});
  EXPECT_EQ(partly.exit_code, 3) << partly.err;
  EXPECT_TRUE(Contains(partly.out, "Not audit-ready: 5/8 requirements ready (score 0.62)"))
      << partly.out;
  EXPECT_TRUE(Contains(LineStartingWith(partly.out, "5.1.a "), "ready")) << partly.out;
  EXPECT_TRUE(Contains(LineStartingWith(partly.out, "5.1.a "), "conforming")) << partly.out;
  EXPECT_TRUE(Contains(LineStartingWith(partly.out, "5.1.h "), kEveryGap)) << partly.out;

  for (int i = 5; i < 8; ++i) MakeReady(kLetters[i]);
  auto ready = Cli({"readiness", "--framework", "iso27001-2022", "--clause", "5.1"});
  EXPECT_EQ(ready.exit_code, 0) << ready.err;
  EXPECT_TRUE(Contains(ready.out, "\nAudit-ready: 8/8 requirements ready\n")) << ready.out;
  for (const char* letter : kLetters) {
    const std::string row = LineStartingWith(ready.out, std::string("5.1.") + letter + " ");
    EXPECT_TRUE(row.size() > 5 && row.substr(row.size() - 5) == "ready") << row;
    EXPECT_FALSE(Contains(row, "not assessed")) << row;
  }
  auto ready_json = Cli({"-o", "json", "readiness"});
  EXPECT_EQ(ready_json.exit_code, 0) << ready_json.err;
  const json all_ready = json::parse(ready_json.out);
  EXPECT_EQ(all_ready.at("auditReady"), true);
  EXPECT_EQ(all_ready.at("score"), 1.0);

  // An overdue action is a gap again.
  Ok({"actions", "add", "--requirement", "5.1.c", "--kind", "other", "--title", "Late", "--owner",
      "ceo@example.com", "--due", "-1d"});
  auto late = Cli({"readiness"});
  EXPECT_EQ(late.exit_code, 3) << late.err;
  const std::string late_row = LineStartingWith(late.out, "5.1.c ");
  EXPECT_TRUE(Contains(late_row, "1 open, 1 overdue")) << late.out;
  EXPECT_TRUE(Contains(late_row, "action overdue")) << late.out;
  EXPECT_TRUE(Contains(late.out, "Not audit-ready: 7/8 requirements ready (score 0.88)"))
      << late.out;
}

TEST_F(CliReportTest, OnATerminalReadinessIsMarkedAndColoured) {
  if (access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "needs script(1) for a terminal";
  MakeReady("a");
  const auto on_terminal = [&](const std::string& no_color) {
    return RunProcess({"/usr/bin/script", "-qec", "'" + CliBinary() + "' readiness", "/dev/null"},
                      {"COMPLIANCE_SERVER=" + server_.address(), "NO_COLOR=" + no_color});
  };
  const auto colour = on_terminal("");
  EXPECT_TRUE(Contains(colour.out, "\033[32m✔ ready\033[0m")) << colour.out;
  EXPECT_TRUE(Contains(colour.out, "\033[31m✘ " + std::string(kEveryGap))) << colour.out;
  const auto plain = on_terminal("1");
  EXPECT_TRUE(Contains(plain.out, "✔ ready")) << plain.out;
  EXPECT_TRUE(Contains(plain.out, "✘ " + std::string(kEveryGap))) << plain.out;
  EXPECT_FALSE(Contains(plain.out, "\033")) << plain.out;
}

TEST_F(CliReportTest, HtmlReportHasVerdictRequirementsOverdueActionsAndEscapesUserText) {
  Ok({"requirements", "update", "5.1.a", "--owner", "\"Eve\" <eve@example.com>", "--notes",
      "R&D <b>signed</b>"});
  Ok({"actions", "add", "--requirement", "5.1.e", "--kind", "management-review", "--title",
      "<script>alert(1)</script> Q3 review", "--owner", "o'brien@example.com", "--due", "-2d"});
  Ok({"actions", "add", "--requirement", "5.1.f", "--kind", "training", "--title", "Not late yet",
      "--owner", "hr@example.com", "--due", "+2d"});
  // A review that is overdue: reviewed 10 days ago, every day.
  Ok({"requirements", "update", "5.1.b", "--review-interval", "1d"});
  Ok({"requirements", "review", "5.1.b", "--conformity", "partially-conforming", "--time",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Hours(240), absl::UTCTimeZone())});

  const std::string path = dir_ + "/readiness.html";
  auto report = Cli({"report", "--html", path, "--framework", "iso27001-2022"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_TRUE(Contains(report.out, path)) << report.out;
  const std::string html = ReadFile(path);
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(Contains(html, "Not audit-ready: 0/8 requirements ready (score 0.00)")) << html;
  for (const char* letter : kLetters) {
    EXPECT_TRUE(Contains(html, std::string("<b>5.1.") + letter + "</b>")) << letter;
  }
  EXPECT_TRUE(Contains(html, "Overdue actions (1)")) << html;
  EXPECT_TRUE(Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; Q3 review")) << html;
  EXPECT_TRUE(Contains(html, "o&#39;brien@example.com")) << html;
  EXPECT_TRUE(Contains(html, "<td class=\"late\">2d</td>")) << html;
  EXPECT_FALSE(Contains(html, "Not late yet")) << html;
  EXPECT_TRUE(Contains(html, "&quot;Eve&quot; &lt;eve@example.com&gt;")) << html;
  EXPECT_TRUE(Contains(html, "R&amp;D &lt;b&gt;signed&lt;/b&gt;")) << html;
  EXPECT_TRUE(Contains(html, "Overdue reviews (1)")) << html;
  EXPECT_TRUE(Contains(html, "partially conforming")) << html;
  EXPECT_TRUE(Contains(html, "action overdue")) << html;
  EXPECT_TRUE(Contains(html, "review overdue")) << html;
  for (const char* forbidden : {"<script", "<b>signed", "<eve@", "http://", "https://", "<link"}) {
    EXPECT_FALSE(Contains(html, forbidden)) << forbidden;
  }
  const std::string generated = absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone());
  EXPECT_TRUE(Contains(html, "generated <time datetime=\"" + generated)) << html;
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  // A clause of a framework that does not exist: nothing in scope, still a file.
  const std::string other = dir_ + "/other.html";
  auto nothing = Cli({"report", "--html", other, "--framework", "nist-csf-2"});
  ASSERT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_TRUE(Contains(ReadFile(other), "no requirements in scope"));

  EXPECT_EQ(Cli({"report"}).exit_code, 2);  // --html missing
  auto unwritable = Cli({"report", "--html", dir_ + "/no/such/folder/r.html"});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_TRUE(Contains(unwritable.err, "cannot write")) << unwritable.err;
}

TEST_F(CliReportTest, ExportOscalWritesTheDocumentToAFileOrStdout) {
  MakeReady("a");
  const std::string path = dir_ + "/assessment-results.json";
  auto exported = Cli({"export", "oscal", "-o", path, "--clause", "5.1"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(exported.out.empty()) << exported.out;
  const json document = json::parse(ReadFile(path));
  const auto& result = document.at("assessment-results").at("results").at(0);
  EXPECT_EQ(result.at("findings").size(), 8u);

  auto to_stdout = Cli({"export", "oscal"});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  const json printed = json::parse(to_stdout.out);
  EXPECT_EQ(printed.at("assessment-results").at("results").at(0).at("findings").size(), 8u);
  // Also with the global table/json flag before the command.
  auto global = Cli({"-o", "json", "export", "oscal", "--out", path});
  ASSERT_EQ(global.exit_code, 0) << global.err;
  EXPECT_EQ(json::parse(ReadFile(path)).at("assessment-results").at("results").size(), 1u);

  auto bad_scope = Cli({"export", "oscal", "--clause", "Five!"});
  EXPECT_EQ(bad_scope.exit_code, 1);
  EXPECT_TRUE(Contains(bad_scope.err, "INVALID_ARGUMENT")) << bad_scope.err;
  EXPECT_EQ(Cli({"export"}).exit_code, 2);
  EXPECT_EQ(Cli({"export", "csv"}).exit_code, 2);
}

TEST_F(CliReportTest, HelpHasExamplesAndServerErrorsExitOne) {
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"readiness"}, {"report"}, {"export"}, {"export", "oscal"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    auto help = Cli(args);
    EXPECT_EQ(help.exit_code, 0) << command[0];
    EXPECT_TRUE(Contains(help.out, "Example: compliancectl " + command[0])) << help.out;
  }
  auto bad = Cli({"readiness", "--framework", "Not A Framework"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Contains(bad.err, "INVALID_ARGUMENT")) << bad.err;
  auto down = RunProcess({CliBinary(), "--server", "127.0.0.1:1", "--timeout", "2s", "readiness"});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_TRUE(Contains(down.err, "UNAVAILABLE")) << down.err;
}

}  // namespace
}  // namespace compliance::testing
