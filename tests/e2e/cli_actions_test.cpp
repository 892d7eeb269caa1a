// compliancectl actions: the real CLI against the real server and a fresh database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "cli_run.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using nlohmann::json;

constexpr char kNoSuchAction[] = "00000000-0000-4000-8000-000000000000";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The line of `text` that holds `part`, or "" when none does.
std::string LineWith(const std::string& text, const std::string& part) {
  const size_t at = text.find(part);
  if (at == std::string::npos) return "";
  const size_t start = text.rfind('\n', at);
  const size_t end = text.find('\n', at);
  const size_t from = start == std::string::npos ? 0 : start + 1;
  return text.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

absl::Time JsonTime(const json& value) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, value.get<std::string>(), &time, &error))
      << value << ": " << error;
  return time;
}

std::string Uuid(const std::string& name) { return name.substr(name.find('/') + 1); }

class CliActionsTest : public ::testing::Test {
 protected:
  ProcessResult Cli(std::vector<std::string> args) { return RunCli(server_, std::move(args)); }
  json CliJson(std::vector<std::string> args) { return RunCliJson(server_, std::move(args)); }

  // Creates an action; `extra` holds more flags, and replaces the defaults of --requirement,
  // --kind and --owner when it names them. Returns the created action.
  json Add(const std::string& title, const std::string& due, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"actions", "add", "--title", title, "--due", due};
    const std::vector<std::pair<std::string, std::string>> defaults = {
        {"--requirement", "5.1.e"}, {"--kind", "improvement"}, {"--owner", "ciso@example.com"}};
    for (const auto& [flag, value] : defaults) {
      if (std::find(extra.begin(), extra.end(), flag) == extra.end()) {
        args.insert(args.end(), {flag, value});
      }
    }
    args.insert(args.end(), extra.begin(), extra.end());
    const json added = CliJson(args);
    return added.contains("action") ? added.at("action") : json::object();
  }

  json ListJson(std::vector<std::string> filters) {
    filters.insert(filters.begin(), {"actions", "list"});
    const json list = CliJson(filters);
    return list.contains("actions") ? list.at("actions") : json::array();
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(CliActionsTest, AddGetAndListShowWhatIsOverdue) {
  const absl::Time before = absl::Now();
  const json review = Add("Q3 management review", "+7d",
                          {"--kind", "management-review", "--description", "Agenda: objectives",
                           "--recurrence", "90d"});
  ASSERT_TRUE(review.contains("name")) << review;
  EXPECT_EQ(review.at("requirement"), "frameworks/iso27001-2022/requirements/5.1.e");
  EXPECT_EQ(review.at("kind"), "ACTION_KIND_MANAGEMENT_REVIEW");
  EXPECT_EQ(review.at("state"), "ACTION_STATE_OPEN");
  EXPECT_EQ(review.at("recurrence"), "7776000s");
  EXPECT_EQ(review.at("overdue"), false);
  const absl::Time due = JsonTime(review.at("dueTime"));
  EXPECT_GE(due, before + absl::Hours(24 * 7) - absl::Seconds(1));
  EXPECT_LE(due, absl::Now() + absl::Hours(24 * 7));

  const json training = Add(
      "Phishing training", "-2d",
      {"--kind", "ACTION_KIND_TRAINING", "--requirement", "5.1.f", "--owner", "hr@example.com"});
  ASSERT_TRUE(training.contains("name")) << training;
  EXPECT_EQ(training.at("overdue"), true);
  const json policy = Add("Sign policy v4", "2099-01-01T09:00:00Z", {"--kind", "policy_approval"});
  EXPECT_EQ(policy.at("dueTime"), "2099-01-01T09:00:00Z");
  const std::string review_id = Uuid(review.at("name"));
  const std::string training_id = Uuid(training.at("name"));
  const std::string policy_id = Uuid(policy.at("name"));

  auto get = Cli({"actions", "get", review_id});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  for (const char* part : {"Q3 management review", "management-review", "5.1.e", "every 90d",
                           "ciso@example.com", "Agenda: objectives"}) {
    EXPECT_TRUE(Contains(get.out, part)) << part << "\n" << get.out;
  }
  EXPECT_TRUE(Contains(LineWith(get.out, "state"), "open")) << get.out;
  auto get_late = Cli({"actions", "get", training_id});
  ASSERT_EQ(get_late.exit_code, 0) << get_late.err;
  EXPECT_TRUE(Contains(LineWith(get_late.out, "state"), "OVERDUE 2d")) << get_late.out;
  const json by_full_name = CliJson({"actions", "get", review.at("name")});
  EXPECT_EQ(by_full_name.at("action"), review);

  // The table: soonest due first, the overdue one says so (no marks or colour off a terminal).
  auto list = Cli({"actions", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::string header = list.out.substr(0, list.out.find('\n'));
  size_t at = 0;
  for (const char* column : {"NAME", "REQUIREMENT", "KIND", "TITLE", "OWNER", "DUE", "STATE"}) {
    const size_t found = header.find(column, at);
    ASSERT_NE(found, std::string::npos) << column << " in " << header;
    at = found;
  }
  const std::string late_row = LineWith(list.out, training_id);
  EXPECT_TRUE(Contains(late_row, "OVERDUE 2d")) << list.out;
  EXPECT_TRUE(Contains(late_row, "5.1.f")) << late_row;
  EXPECT_TRUE(Contains(late_row, "training")) << late_row;
  EXPECT_FALSE(Contains(LineWith(list.out, review_id), "OVERDUE")) << list.out;
  EXPECT_TRUE(Contains(LineWith(list.out, review_id), "open")) << list.out;
  EXPECT_LT(list.out.find(training_id), list.out.find(review_id));
  EXPECT_LT(list.out.find(review_id), list.out.find(policy_id));
  EXPECT_FALSE(Contains(list.out, "\033")) << list.out;
  EXPECT_FALSE(Contains(list.out, "!")) << list.out;

  auto overdue = Cli({"actions", "list", "--overdue"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  EXPECT_TRUE(Contains(overdue.out, training_id)) << overdue.out;
  EXPECT_FALSE(Contains(overdue.out, review_id)) << overdue.out;
  EXPECT_FALSE(Contains(overdue.out, policy_id)) << overdue.out;
  const json overdue_json = ListJson({"--overdue"});
  ASSERT_EQ(overdue_json.size(), 1u);
  EXPECT_EQ(overdue_json[0].at("name"), training.at("name"));

  EXPECT_EQ(ListJson({}).size(), 3u);
  EXPECT_EQ(ListJson({"--state", "open"}).size(), 3u);
  EXPECT_TRUE(ListJson({"--state", "completed"}).empty());
  EXPECT_EQ(ListJson({"--requirement", "5.1.e"}).size(), 2u);
  EXPECT_EQ(ListJson({"--requirement", "frameworks/iso27001-2022/requirements/5.1.f"}).size(), 1u);
  EXPECT_EQ(ListJson({"--owner", "hr@example.com"}).size(), 1u);
  auto none = Cli({"actions", "list", "--requirement", "5.1.b"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_TRUE(Contains(none.err, "no actions match")) << none.err;

  auto limited = Cli({"actions", "list", "--limit", "2"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_FALSE(Contains(limited.out, policy_id)) << limited.out;
  EXPECT_TRUE(Contains(limited.err, "--limit")) << limited.err;
  const json one = CliJson({"actions", "list", "--limit", "1"});
  EXPECT_EQ(one.at("actions").size(), 1u);
  EXPECT_FALSE(one.at("nextPageToken").get<std::string>().empty());
  EXPECT_EQ(CliJson({"actions", "list", "--limit", "3"}).at("nextPageToken"), "");
}

TEST_F(CliActionsTest, OnATerminalOverdueRowsAreMarkedAndRed) {
  if (access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "needs script(1) for a terminal";
  const std::string late = Uuid(Add("Late review", "-3d").at("name"));
  const std::string fine = Uuid(Add("Later review", "+3d").at("name"));
  const auto on_terminal = [&](const std::string& no_color) {
    return RunProcess(
        {"/usr/bin/script", "-qec", "'" + CliBinary() + "' actions list", "/dev/null"},
        {"COMPLIANCE_SERVER=" + server_.address(), "NO_COLOR=" + no_color});
  };
  const auto colour = on_terminal("");
  ASSERT_EQ(colour.exit_code, 0) << colour.out << colour.err;
  EXPECT_TRUE(Contains(LineWith(colour.out, late), "\033[31m!")) << colour.out;
  EXPECT_TRUE(Contains(LineWith(colour.out, late), "OVERDUE 3d")) << colour.out;
  EXPECT_FALSE(Contains(LineWith(colour.out, fine), "\033")) << colour.out;
  EXPECT_FALSE(Contains(LineWith(colour.out, fine), "!")) << colour.out;

  const auto plain = on_terminal("1");
  ASSERT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  EXPECT_TRUE(Contains(LineWith(plain.out, late), "!")) << plain.out;
  EXPECT_FALSE(Contains(plain.out, "\033")) << plain.out;
}

TEST_F(CliActionsTest, CompleteWithEvidenceAndARecurringActionOpensItsSuccessor) {
  const json evidence =
      CliJson({"evidence", "add", "--requirement", "5.1.e", "--kind", "meeting-minutes", "--title",
               "Management review minutes", "--uri", "https://dms.example.com/minutes/7"});
  ASSERT_TRUE(evidence.contains("evidence")) << evidence;
  const std::string evidence_name = evidence.at("evidence").at("name");
  const json action =
      Add("Quarterly management review", "+1d",
          {"--kind", "management-review", "--recurrence", "90d", "--evidence-required"});
  ASSERT_TRUE(action.contains("name")) << action;
  EXPECT_EQ(action.at("evidenceRequired"), true);
  const std::string id = Uuid(action.at("name"));

  auto without = Cli({"actions", "complete", id});
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_TRUE(Contains(without.err, "FAILED_PRECONDITION")) << without.err;
  EXPECT_TRUE(Contains(without.err, "requires evidence")) << without.err;
  auto missing_evidence = Cli({"actions", "complete", id, "--evidence", kNoSuchAction});
  EXPECT_EQ(missing_evidence.exit_code, 1);
  EXPECT_TRUE(Contains(missing_evidence.err, "NOT_FOUND")) << missing_evidence.err;
  EXPECT_TRUE(Contains(missing_evidence.err, "evidence list")) << missing_evidence.err;

  auto complete = Cli({"actions", "complete", id, "--evidence", Uuid(evidence_name), "--note",
                       "minutes signed by the CEO"});
  ASSERT_EQ(complete.exit_code, 0) << complete.err;
  EXPECT_TRUE(Contains(LineWith(complete.out, "state"), "completed")) << complete.out;
  EXPECT_TRUE(Contains(complete.out, Uuid(evidence_name))) << complete.out;
  EXPECT_TRUE(Contains(complete.out, "minutes signed by the CEO")) << complete.out;
  const std::string next_line = LineWith(complete.out, "Next: actions/");
  EXPECT_TRUE(Contains(next_line, "is due")) << complete.out;
  EXPECT_TRUE(Contains(next_line, "every 90d")) << complete.out;

  const json completed = CliJson({"actions", "get", id}).at("action");
  EXPECT_EQ(completed.at("state"), "ACTION_STATE_COMPLETED");
  EXPECT_EQ(completed.at("evidence"), json({evidence_name}));
  EXPECT_EQ(completed.at("resolutionNote"), "minutes signed by the CEO");
  const std::string next_name = completed.at("nextAction");
  ASSERT_FALSE(next_name.empty());
  EXPECT_TRUE(Contains(next_line, next_name)) << complete.out;
  const json next = CliJson({"actions", "get", next_name}).at("action");
  EXPECT_EQ(next.at("state"), "ACTION_STATE_OPEN");
  EXPECT_EQ(next.at("title"), "Quarterly management review");
  EXPECT_EQ(JsonTime(next.at("dueTime")),
            JsonTime(completed.at("completeTime")) + absl::Hours(24 * 90));
  const json open = ListJson({"--state", "open"});
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].at("name"), next_name);

  auto again = Cli({"actions", "complete", id, "--evidence", evidence_name});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Contains(again.err, "FAILED_PRECONDITION")) << again.err;

  // Without a recurrence, as JSON, with --time: no successor. The time is a whole second (what
  // RFC 3339 here carries) that cannot fall before the sub-second create_time: one second ahead,
  // well within the server's 5 s allowance for clock skew.
  const json once = Add("Approve the ISMS budget", "-1h", {"--kind", "resource-approval"});
  const std::string done_at =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() + absl::Seconds(1), absl::UTCTimeZone());
  auto json_complete =
      Cli({"-o", "json", "actions", "complete", once.at("name"), "--time", done_at});
  ASSERT_EQ(json_complete.exit_code, 0) << json_complete.err;
  const json response = json::parse(json_complete.out);
  EXPECT_EQ(response.at("action").at("state"), "ACTION_STATE_COMPLETED");
  EXPECT_EQ(response.at("action").at("completeTime"), done_at);
  EXPECT_EQ(response.at("action").at("overdue"), false);
  EXPECT_FALSE(response.contains("nextAction")) << response;
  EXPECT_EQ(ListJson({"--state", "completed"}).size(), 2u);
}

TEST_F(CliActionsTest, UpdateChangesOnlyTheGivenFieldsAndCancelWorksOnce) {
  const json action = Add("Appoint a CISO", "+14d",
                          {"--kind", "role-assignment", "--description", "Board decision"});
  ASSERT_TRUE(action.contains("name")) << action;
  const std::string id = Uuid(action.at("name"));

  const json updated = CliJson({"actions", "update", id, "--title", "Appoint a CISO and a deputy",
                                "--owner", "ceo@example.com", "--due", "2099-06-01T00:00:00Z",
                                "--recurrence", "30d", "--evidence-required", "true"})
                           .at("action");
  EXPECT_EQ(updated.at("title"), "Appoint a CISO and a deputy");
  EXPECT_EQ(updated.at("owner"), "ceo@example.com");
  EXPECT_EQ(updated.at("dueTime"), "2099-06-01T00:00:00Z");
  EXPECT_EQ(updated.at("recurrence"), "2592000s");
  EXPECT_EQ(updated.at("evidenceRequired"), true);
  EXPECT_EQ(updated.at("description"), "Board decision");
  EXPECT_EQ(updated.at("kind"), "ACTION_KIND_ROLE_ASSIGNMENT");
  EXPECT_NE(updated.at("etag"), action.at("etag"));

  const json stopped = CliJson({"actions", "update", action.at("name"), "--no-recurrence",
                                "--evidence-required", "false", "--etag", updated.at("etag")})
                           .at("action");
  EXPECT_FALSE(stopped.contains("recurrence")) << stopped;
  EXPECT_EQ(stopped.at("evidenceRequired"), false);
  EXPECT_EQ(stopped.at("title"), "Appoint a CISO and a deputy");

  auto stale =
      Cli({"actions", "update", id, "--owner", "x@example.com", "--etag", updated.at("etag")});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_TRUE(Contains(stale.err, "ABORTED")) << stale.err;
  auto table = Cli({"actions", "update", id, "--due", "-1d"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(Contains(LineWith(table.out, "state"), "OVERDUE 1d")) << table.out;

  EXPECT_EQ(Cli({"actions", "cancel", id}).exit_code, 2);  // --reason missing
  auto cancel = Cli({"actions", "cancel", id, "--reason", "the board appointed one directly"});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  EXPECT_TRUE(Contains(LineWith(cancel.out, "state"), "cancelled")) << cancel.out;
  EXPECT_TRUE(Contains(cancel.out, "the board appointed one directly")) << cancel.out;
  auto twice = Cli({"actions", "cancel", id, "--reason", "again"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_TRUE(Contains(twice.err, "FAILED_PRECONDITION")) << twice.err;
  auto update_cancelled = Cli({"actions", "update", id, "--title", "x"});
  EXPECT_EQ(update_cancelled.exit_code, 1);
  EXPECT_TRUE(Contains(update_cancelled.err, "FAILED_PRECONDITION")) << update_cancelled.err;
  auto complete_cancelled = Cli({"actions", "complete", id});
  EXPECT_EQ(complete_cancelled.exit_code, 1);
  EXPECT_TRUE(Contains(complete_cancelled.err, "FAILED_PRECONDITION")) << complete_cancelled.err;

  const json cancelled = ListJson({"--state", "cancelled"});
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].at("resolutionNote"), "the board appointed one directly");
  EXPECT_EQ(cancelled[0].at("overdue"), false);
  EXPECT_TRUE(ListJson({"--overdue"}).empty());
}

TEST_F(CliActionsTest, AddWithTheSameRequestIdTwiceCreatesOnce) {
  const std::vector<std::string> extra = {"--request-id", "review-2027-q1"};
  const json first = Add("Q1 management review", "2099-03-31T00:00:00Z", extra);
  const json second = Add("Q1 management review", "2099-03-31T00:00:00Z", extra);
  EXPECT_EQ(first.at("name"), second.at("name"));
  EXPECT_EQ(ListJson({}).size(), 1u);
  auto other =
      Cli({"actions", "add", "--requirement", "5.1.e", "--kind", "other", "--title",
           "Something else", "--owner", "o", "--due", "+1d", "--request-id", "review-2027-q1"});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_TRUE(Contains(other.err, "ALREADY_EXISTS")) << other.err;
}

TEST_F(CliActionsTest, ServerErrorsExitOneAndUsageErrorsExitTwo) {
  auto missing = Cli({"actions", "get", kNoSuchAction});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err, "NOT_FOUND")) << missing.err;
  EXPECT_TRUE(Contains(missing.err, "actions list")) << missing.err;
  auto malformed = Cli({"actions", "get", "not-a-uuid"});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_TRUE(Contains(malformed.err, "INVALID_ARGUMENT")) << malformed.err;
  EXPECT_EQ(Cli({"actions", "cancel", kNoSuchAction, "--reason", "x"}).exit_code, 1);
  EXPECT_EQ(Cli({"actions", "complete", kNoSuchAction}).exit_code, 1);

  const std::vector<std::string> base = {"actions", "add", "--requirement", "5.1.a",
                                         "--title", "T",   "--owner",       "o"};
  const auto add = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  };
  auto unknown_requirement = Cli({"actions", "add", "--requirement", "5.1.z", "--kind", "other",
                                  "--title", "T", "--owner", "o", "--due", "+1d"});
  EXPECT_EQ(unknown_requirement.exit_code, 1);
  EXPECT_TRUE(Contains(unknown_requirement.err, "NOT_FOUND")) << unknown_requirement.err;
  auto short_recurrence = add({"--kind", "other", "--due", "+1d", "--recurrence", "12h"});
  EXPECT_EQ(short_recurrence.exit_code, 1);
  EXPECT_TRUE(Contains(short_recurrence.err, "action.recurrence")) << short_recurrence.err;

  EXPECT_EQ(add({"--due", "+1d"}).exit_code, 2);                          // no --kind
  EXPECT_EQ(add({"--kind", "memo", "--due", "+1d"}).exit_code, 2);        // unknown kind
  EXPECT_EQ(add({"--kind", "other"}).exit_code, 2);                       // no --due
  EXPECT_EQ(add({"--kind", "other", "--due", "tomorrow"}).exit_code, 2);  // bad due
  EXPECT_EQ(add({"--kind", "other", "--due", "7d"}).exit_code, 2);        // no sign
  EXPECT_EQ(add({"--kind", "other", "--due", "+1d", "--recurrence", "quarterly"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "add", "--requirement", "5.1.a", "--kind", "other", "--title", "T",
                 "--due", "+1d"})
                .exit_code,
            2);  // no --owner
  EXPECT_EQ(Cli({"actions", "list", "--state", "overdue"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "list", "--limit", "-1"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "get"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "update", kNoSuchAction}).exit_code, 2);  // nothing to change
  EXPECT_EQ(
      Cli({"actions", "update", kNoSuchAction, "--recurrence", "30d", "--no-recurrence"}).exit_code,
      2);
  EXPECT_EQ(Cli({"actions", "update", kNoSuchAction, "--evidence-required", "maybe"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "update", kNoSuchAction, "--due", "soon"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "complete", kNoSuchAction, "--time", "yesterday"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(Cli({"actions"}).exit_code, 2);
  EXPECT_TRUE(ListJson({}).empty());

  for (const char* command : {"add", "get", "list", "update", "complete", "cancel"}) {
    auto help = Cli({"actions", command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_TRUE(Contains(help.out, "Example: compliancectl actions " + std::string(command)))
        << help.out;
  }
  auto help = Cli({"actions", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(Contains(help.out, "Example: compliancectl actions list")) << help.out;
}

}  // namespace
}  // namespace compliance::testing
