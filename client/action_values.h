#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance::cli {

/// `management-review`, `management_review`, `Management-Review` or
/// `ACTION_KIND_MANAGEMENT_REVIEW` → the compliance.v1.ActionKind number; UNSPECIFIED and
/// unknown words are errors.
absl::StatusOr<int> ParseActionKind(absl::string_view text);

/// The word for an ActionKind number, e.g. `management-review`.
std::string ActionKindWord(int kind);

/// All kind words, comma-separated, for help and error texts.
std::string ActionKindWords();

/// `open`, `completed`, `cancelled` (any case, or the full enum name) → ActionState.
absl::StatusOr<int> ParseActionState(absl::string_view text);

/// The word for an ActionState number, e.g. `completed`.
std::string ActionStateWord(int state);

/// "open, completed or cancelled", for help and error texts.
std::string ActionStateWords();

/// A bare UUID → `actions/{uuid}`; names with a `/` pass unchanged.
std::string ExpandActionName(absl::string_view name);

/// `actions/{uuid}` → `{uuid}`; anything else unchanged.
std::string ShortActionName(absl::string_view name);

/// An RFC 3339 time, or `+7d` / `-2d`: `now` plus or minus a ParseHumanDuration duration.
absl::StatusOr<absl::Time> ParseDueTime(absl::string_view text, absl::Time now);

/// How late something is, in the largest whole unit: `3d`, `5h`, `12m`; under a minute (or
/// not late at all) `<1m`.
std::string FormatLateness(absl::Duration late);

/// The STATE of an action for people: `OVERDUE 3d` when it is OPEN and `overdue` (the
/// server's flag), lateness counted from `due` to `now`; otherwise its state word.
std::string ActionStateCell(int state, bool overdue, absl::Time due, absl::Time now);

}  // namespace compliance::cli
