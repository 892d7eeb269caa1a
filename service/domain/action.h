#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/names.h"

namespace compliance {

/// Where an action stands; numbered as compliance.v1.ActionState.
enum class ActionState : int { kUnspecified = 0, kOpen = 1, kCompleted = 2, kCancelled = 3 };

/// Highest compliance.v1.ActionKind value.
inline constexpr int kMaxActionKind = 9;
/// Bounds of a recurrence.
inline constexpr absl::Duration kMinRecurrence = absl::Hours(24);
inline constexpr absl::Duration kMaxRecurrence = absl::Hours(24 * 3650);

/// The fields a client sets on an action.
struct ActionFields {
  RequirementKey requirement;
  int kind = 0;
  std::string title;
  std::string description;
  std::string owner;
  absl::Time due_time;
  std::optional<absl::Duration> recurrence;
  bool evidence_required = false;
};

/// A stored leadership action.
struct Action {
  std::string id;
  ActionFields fields;
  ActionState state = ActionState::kOpen;
  std::optional<absl::Time> complete_time;
  std::vector<std::string> evidence;  ///< evidence ids attached at completion
  std::string resolution_note;
  std::string next_action;  ///< successor id, or empty
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
};

/// `actions/{id}`.
std::string ActionName(const std::string& id);

/// OPEN and due: from exactly `due_time` on.
bool IsOverdue(const Action& action, absl::Time now);

/// Opaque etag of a stored version.
std::string ActionEtag(const Action& action);

/// Validates the client-set fields; errors name `<prefix>.<field>`.
absl::Status ValidateActionFields(const std::string& prefix, const ActionFields& fields);

/// FAILED_PRECONDITION unless the action is OPEN; `verb` says what was attempted.
absl::Status RequireOpen(const Action& action, const std::string& verb);

/// Checks a completion: `complete_time` not in the future nor before the action was created,
/// and evidence present when the action requires it.
absl::Status ValidateCompletion(const Action& action, absl::Time complete_time,
                                size_t evidence_count, absl::Time now);

/// The successor of a recurring action completed at `complete_time`.
ActionFields Successor(const Action& completed, absl::Time complete_time);

}  // namespace compliance
