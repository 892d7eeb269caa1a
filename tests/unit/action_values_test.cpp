#include "action_values.h"

#include <gtest/gtest.h>

#include <sstream>

#include "action_command.h"
#include "api/proto_time.h"

namespace compliance::cli {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);  // 2027-01-15T08:00:00Z

TEST(ActionKind, AcceptsWordsInAnySpellingAndTheEnumName) {
  EXPECT_EQ(*ParseActionKind("management-review"), 1);
  EXPECT_EQ(*ParseActionKind("management_review"), 1);
  EXPECT_EQ(*ParseActionKind("Policy-Approval"), 2);
  EXPECT_EQ(*ParseActionKind("ACTION_KIND_OBJECTIVES_REVIEW"), 3);
  EXPECT_EQ(*ParseActionKind("resource-approval"), 4);
  EXPECT_EQ(*ParseActionKind("communication"), 5);
  EXPECT_EQ(*ParseActionKind("training"), 6);
  EXPECT_EQ(*ParseActionKind("role_assignment"), 7);
  EXPECT_EQ(*ParseActionKind("improvement"), 8);
  EXPECT_EQ(*ParseActionKind(" other "), 9);
  for (const char* bad : {"", "unspecified", "ACTION_KIND_UNSPECIFIED", "memo", "review",
                          "management review", "EVIDENCE_KIND_TRAINING_RECORD"}) {
    EXPECT_FALSE(ParseActionKind(bad).ok()) << bad;
  }
  const auto error = ParseActionKind("memo").status();
  EXPECT_NE(error.message().find("management-review, policy-approval"), std::string::npos) << error;
  for (int kind = 1; kind <= 9; ++kind) {
    EXPECT_EQ(*ParseActionKind(ActionKindWord(kind)), kind) << kind;
  }
  EXPECT_EQ(ActionKindWord(7), "role-assignment");
  EXPECT_EQ(ActionKindWord(42), "kind-42");
  EXPECT_EQ(ActionKindWords(),
            "management-review, policy-approval, objectives-review, resource-approval, "
            "communication, training, role-assignment, improvement, other");
}

TEST(ActionState, AcceptsWordsAndTheEnumName) {
  EXPECT_EQ(*ParseActionState("open"), 1);
  EXPECT_EQ(*ParseActionState("Completed"), 2);
  EXPECT_EQ(*ParseActionState("ACTION_STATE_CANCELLED"), 3);
  for (const char* bad : {"", "unspecified", "overdue", "canceled", "done"}) {
    EXPECT_FALSE(ParseActionState(bad).ok()) << bad;
  }
  EXPECT_EQ(ActionStateWord(2), "completed");
  EXPECT_EQ(ActionStateWord(9), "state-9");
}

TEST(ActionName, BareUuidsGetThePrefix) {
  const std::string uuid = "3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13";
  EXPECT_EQ(ExpandActionName(uuid), "actions/" + uuid);
  EXPECT_EQ(ExpandActionName("actions/" + uuid), "actions/" + uuid);
  EXPECT_EQ(ExpandActionName(""), "");
  EXPECT_EQ(ShortActionName("actions/" + uuid), uuid);
  EXPECT_EQ(ShortActionName(uuid), uuid);
  EXPECT_EQ(ShortActionName("evidence/x"), "evidence/x");
}

TEST(DueTime, AcceptsRfc3339AndTimesRelativeToNow) {
  EXPECT_EQ(*ParseDueTime("2026-03-01T09:00:00Z", kNow), absl::FromUnixSeconds(1772355600));
  EXPECT_EQ(*ParseDueTime("2026-03-01T10:00:00+01:00", kNow), absl::FromUnixSeconds(1772355600));
  EXPECT_EQ(*ParseDueTime("+7d", kNow), kNow + absl::Hours(24 * 7));
  EXPECT_EQ(*ParseDueTime("-2d", kNow), kNow - absl::Hours(48));
  EXPECT_EQ(*ParseDueTime("+1d12h", kNow), kNow + absl::Hours(36));
  EXPECT_EQ(*ParseDueTime("-30m", kNow), kNow - absl::Minutes(30));
  for (const char* bad : {"", "+", "-", "7d", "+7", "+-7d", "++7d", "+7x", "tomorrow", "2026-03-01",
                          "2026-03-01 09:00:00"}) {
    EXPECT_FALSE(ParseDueTime(bad, kNow).ok()) << bad;
  }
  const auto error = ParseDueTime("soon", kNow).status();
  EXPECT_NE(error.message().find("+7d"), std::string::npos) << error;
}

TEST(Lateness, LargestWholeUnit) {
  EXPECT_EQ(FormatLateness(absl::Hours(24 * 3) + absl::Hours(23)), "3d");
  EXPECT_EQ(FormatLateness(absl::Hours(24)), "1d");
  EXPECT_EQ(FormatLateness(absl::Hours(23) + absl::Minutes(59)), "23h");
  EXPECT_EQ(FormatLateness(absl::Minutes(61)), "1h");
  EXPECT_EQ(FormatLateness(absl::Minutes(5) + absl::Seconds(59)), "5m");
  EXPECT_EQ(FormatLateness(absl::Seconds(59)), "<1m");
  EXPECT_EQ(FormatLateness(absl::ZeroDuration()), "<1m");
  EXPECT_EQ(FormatLateness(-absl::Hours(5)), "<1m");  // clocks disagree a little
}

TEST(ActionStateCell, OverdueOpenActionsSayHowLate) {
  const absl::Time due = kNow - absl::Hours(24 * 3) - absl::Minutes(5);
  EXPECT_EQ(ActionStateCell(1, true, due, kNow), "OVERDUE 3d");
  EXPECT_EQ(ActionStateCell(1, false, kNow + absl::Hours(1), kNow), "open");
  // Only OPEN actions are overdue, whatever the flag says.
  EXPECT_EQ(ActionStateCell(2, true, due, kNow), "completed");
  EXPECT_EQ(ActionStateCell(3, false, due, kNow), "cancelled");
}

google::protobuf::RepeatedPtrField<v1::LeadershipAction> TwoActions() {
  google::protobuf::RepeatedPtrField<v1::LeadershipAction> actions;
  auto* late = actions.Add();
  late->set_name("actions/11111111-1111-4111-8111-111111111111");
  late->set_requirement("frameworks/iso27001-2022/requirements/5.1.e");
  late->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
  late->set_title("Q3 management review\nwith the board");
  late->set_owner("ceo@example.com");
  ToProto(kNow - absl::Hours(24 * 2) - absl::Hours(1), late->mutable_due_time());
  late->set_state(v1::ACTION_STATE_OPEN);
  late->set_overdue(true);
  auto* fine = actions.Add();
  fine->set_name("actions/22222222-2222-4222-8222-222222222222");
  fine->set_requirement("frameworks/other/requirements/9.9");
  fine->set_kind(v1::ACTION_KIND_TRAINING);
  fine->set_title(std::string(60, 't'));
  fine->set_owner("hr@example.com");
  ToProto(kNow + absl::Hours(24 * 7), fine->mutable_due_time());
  fine->set_state(v1::ACTION_STATE_OPEN);
  return actions;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ActionTable, PlainOutputSaysOverdueWithoutMarksOrColour) {
  std::ostringstream out;
  PrintActionTable(TwoActions(), kNow, /*terminal=*/false, /*color=*/false, out);
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[0].rfind("NAME  ", 0), 0u) << lines[0];
  for (const char* column : {"REQUIREMENT", "KIND", "TITLE", "OWNER", "DUE", "STATE"}) {
    EXPECT_NE(lines[0].find(column), std::string::npos) << column;
  }
  EXPECT_EQ(lines[1].rfind("11111111-1111-4111-8111-111111111111  5.1.e ", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("management-review"), std::string::npos);
  EXPECT_NE(lines[1].find("Q3 management review with the board"), std::string::npos);
  EXPECT_NE(lines[1].find("2027-01-13T07:00:00Z"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("OVERDUE 2d"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("frameworks/other/requirements/9.9"), std::string::npos);
  EXPECT_NE(lines[2].find(std::string(47, 't') + "…"), std::string::npos) << lines[2];
  EXPECT_EQ(lines[2].substr(lines[2].size() - 4), "open");
  EXPECT_EQ(out.str().find('\033'), std::string::npos);
  EXPECT_EQ(out.str().find('!'), std::string::npos);
}

TEST(ActionTable, OnATerminalOverdueRowsAreMarkedAndRed) {
  std::ostringstream out;
  PrintActionTable(TwoActions(), kNow, /*terminal=*/true, /*color=*/true, out);
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[0].rfind("   NAME", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("\033[31m!  11111111-", 0), 0u) << lines[1];
  EXPECT_EQ(lines[1].substr(lines[1].size() - 4), "\033[0m") << lines[1];
  EXPECT_EQ(lines[2].rfind("   22222222-", 0), 0u) << lines[2];
  EXPECT_EQ(lines[2].find('\033'), std::string::npos) << lines[2];
  // The colour codes take no width: the columns line up as without them.
  EXPECT_EQ(lines[1].find("5.1.e") - 5, lines[2].find("frameworks/"));

  std::ostringstream no_color;
  PrintActionTable(TwoActions(), kNow, /*terminal=*/true, /*color=*/false, no_color);
  EXPECT_EQ(no_color.str().find('\033'), std::string::npos);
  EXPECT_NE(no_color.str().find("\n!  11111111-"), std::string::npos) << no_color.str();
}

}  // namespace
}  // namespace compliance::cli
