#include "action_values.h"

#include <iterator>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "cli_values.h"
#include "compliance/v1/action.pb.h"
#include "enum_words.h"

namespace compliance::cli {
namespace {

constexpr int kOpen = v1::ACTION_STATE_OPEN;

}  // namespace

absl::StatusOr<int> ParseActionKind(absl::string_view text) {
  if (auto kind = EnumWords::Of<v1::ActionKind>().Parse(text)) return *kind;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an action kind; use ", ActionKindWords()));
}

std::string ActionKindWord(int kind) {
  return EnumWords::Of<v1::ActionKind>().Word(kind).value_or(absl::StrCat("kind-", kind));
}

std::string ActionKindWords() { return EnumWords::Of<v1::ActionKind>().List(); }

absl::StatusOr<int> ParseActionState(absl::string_view text) {
  if (auto state = EnumWords::Of<v1::ActionState>().Parse(text)) return *state;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an action state; use ", ActionStateWords()));
}

std::string ActionStateWord(int state) {
  return EnumWords::Of<v1::ActionState>().Word(state).value_or(absl::StrCat("state-", state));
}

std::string ActionStateWords() { return EnumWords::Of<v1::ActionState>().List("or"); }

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
