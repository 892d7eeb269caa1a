#include "action_values.h"

#include <iterator>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "cli_values.h"

namespace compliance::cli {
namespace {

constexpr const char* kKindWords[] = {"unspecified",       "management-review",
                                      "policy-approval",   "objectives-review",
                                      "resource-approval", "communication",
                                      "training",          "role-assignment",
                                      "improvement",       "other"};
constexpr int kMaxKind = 9;

constexpr const char* kStateWords[] = {"unspecified", "open", "completed", "cancelled"};
constexpr int kMaxState = 3;
constexpr int kOpen = 1;

}  // namespace

absl::StatusOr<int> ParseActionKind(absl::string_view text) {
  const std::string word = NormalEnumWord(text, "action-kind-");
  for (int kind = 1; kind <= kMaxKind; ++kind) {
    if (word == kKindWords[kind]) return kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an action kind; use ", ActionKindWords()));
}

std::string ActionKindWord(int kind) {
  return kind >= 0 && kind <= kMaxKind ? kKindWords[kind] : absl::StrCat("kind-", kind);
}

std::string ActionKindWords() {
  return absl::StrJoin(std::begin(kKindWords) + 1, std::end(kKindWords), ", ");
}

absl::StatusOr<int> ParseActionState(absl::string_view text) {
  const std::string word = NormalEnumWord(text, "action-state-");
  for (int state = 1; state <= kMaxState; ++state) {
    if (word == kStateWords[state]) return state;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an action state; use open, completed or cancelled"));
}

std::string ActionStateWord(int state) {
  return state >= 0 && state <= kMaxState ? kStateWords[state] : absl::StrCat("state-", state);
}

std::string ExpandActionName(absl::string_view name) {
  if (name.empty() || absl::StrContains(name, '/')) return std::string(name);
  return absl::StrCat("actions/", name);
}

std::string ShortActionName(absl::string_view name) {
  absl::ConsumePrefix(&name, "actions/");
  return std::string(name);
}

absl::StatusOr<absl::Time> ParseDueTime(absl::string_view text, absl::Time now) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (!trimmed.empty() && (trimmed[0] == '+' || trimmed[0] == '-')) {
    auto offset = ParseHumanDuration(trimmed.substr(1));
    if (offset.ok()) return trimmed[0] == '+' ? now + *offset : now - *offset;
  } else if (auto time = ParseTime(trimmed); time.ok()) {
    return *time;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text,
                   "\" is not a due time; use RFC 3339 such as 2026-03-01T09:00:00Z, or +7d / -2d "
                   "from now"));
}

std::string FormatLateness(absl::Duration late) {
  if (late >= absl::Hours(24)) return absl::StrCat(late / absl::Hours(24), "d");
  if (late >= absl::Hours(1)) return absl::StrCat(late / absl::Hours(1), "h");
  if (late >= absl::Minutes(1)) return absl::StrCat(late / absl::Minutes(1), "m");
  return "<1m";
}

std::string ActionStateCell(int state, bool overdue, absl::Time due, absl::Time now) {
  if (state == kOpen && overdue) return "OVERDUE " + FormatLateness(now - due);
  return ActionStateWord(state);
}

}  // namespace compliance::cli
