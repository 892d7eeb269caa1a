#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/v1/action.pb.h"
#include "domain/action.h"
#include "domain/page.h"
#include "store/action_store.h"
#include "store/idempotency_store.h"

namespace compliance {

// What each ActionService request must be before the handler reads or writes anything: the
// checks that need no stored state, in one function per request (also fuzzed, tests/fuzz).

/// A validated ListActions request.
struct ListActionsQuery {
  ActionFilter filter;
  int page_size = kDefaultPageSize;
  std::optional<TimeCursor> after;
  std::string fingerprint;  ///< binds page tokens to these filters
};
absl::StatusOr<ListActionsQuery> ParseListActions(const v1::ListActionsRequest& request);

/// A validated UpdateAction request: the action's id and the paths it changes. The selected
/// fields are checked too, so bad input is INVALID_ARGUMENT whatever the action's state.
struct ActionUpdateRequest {
  std::string id;
  std::vector<std::string> paths;
};
absl::StatusOr<ActionUpdateRequest> ParseUpdateAction(const v1::UpdateActionRequest& request);

/// A validated CompleteAction request.
struct ActionCompletionRequest {
  std::string id;
  Completion completion;
  RequestKey key;
};
absl::StatusOr<ActionCompletionRequest> ParseCompleteActionRequest(
    const v1::CompleteActionRequest& request);

/// A validated CancelAction request.
struct ActionCancellation {
  std::string id;
  std::string reason;
};
absl::StatusOr<ActionCancellation> ParseCancelAction(const v1::CancelActionRequest& request);

}  // namespace compliance
