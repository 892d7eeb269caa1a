#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compliance/v1/action.pb.h"
#include "domain/action.h"

namespace compliance {

/// Fills the API message; `overdue` is evaluated at `now`.
void ToProto(const Action& action, absl::Time now, v1::LeadershipAction* out);

/// Validates a CreateAction request; errors name `action.<field>` and `request_id`.
absl::StatusOr<ActionFields> ParseCreateAction(const v1::CreateActionRequest& request);

/// The paths an UpdateAction selects: explicit, `*`, or (empty mask) the populated fields.
absl::StatusOr<std::vector<std::string>> ActionUpdatePaths(const v1::UpdateActionRequest& request);

/// Copies the selected fields of `request.action()` onto `fields` and validates the result.
absl::Status ApplyActionUpdate(const v1::UpdateActionRequest& request,
                               const std::vector<std::string>& paths, ActionFields& fields);

/// Validates a CompleteAction request (everything that needs no stored state).
absl::StatusOr<Completion> ParseCompleteAction(const v1::CompleteActionRequest& request);

}  // namespace compliance
