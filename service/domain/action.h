#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/evidence.h"
#include "domain/names.h"

namespace compliance {

/// Where an action stands; numbered as compliance.v1.ActionState.
enum class ActionState : int { kUnspecified = 0, kOpen = 1, kCompleted = 2, kCancelled = 3 };

/// Highest compliance.v1.ActionKind value, as the contract's descriptors have it
/// (api/enum_bounds.cpp), so that a new kind is one edit of the proto.
extern const int kMaxActionKind;
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

/// A completion to record.
struct Completion {
  std::vector<std::string> evidence;  ///< evidence ids, in the client's order
  std::string note;
  std::optional<absl::Time> complete_time;  ///< default: now
  std::string etag;
};

/// A completed action and, for a recurring one, its successor.
struct CompletedAction {
  Action action;
  std::optional<Action> next_action;
};

/// `actions/{id}`.
std::string ActionName(const std::string& id);

/// OPEN and strictly past due (api.md: `due_time < now`): not yet at `due_time` itself.
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

/// Every evidence record a completion attaches must exist (NOT_FOUND) and be ACTIVE
/// (FAILED_PRECONDITION); `states` holds the stored state of those that exist.
absl::Status CheckCompletionEvidence(const std::vector<std::string>& ids,
                                     const std::map<std::string, EvidenceState>& states);

/// The successor of a recurring action completed at `complete_time`.
ActionFields Successor(const Action& completed, absl::Time complete_time);

}  // namespace compliance
