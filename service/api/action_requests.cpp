#include "api/action_requests.h"

#include "absl/strings/str_cat.h"
#include "api/action_mapping.h"
#include "domain/errors.h"
#include "domain/names.h"
#include "domain/request_hash.h"
#include "domain/text.h"

namespace compliance {

absl::StatusOr<ListActionsQuery> ParseListActions(const v1::ListActionsRequest& request) {
  ListActionsQuery query;
  auto& filter = query.filter;
  if (!request.requirement().empty()) {
    auto key = ParseRequirementName("requirement", request.requirement());
    if (!key.ok()) return key.status();
    filter.requirement = *key;
  }
  if (!v1::ActionState_IsValid(request.state())) {
    return FieldError("state", "is not a known ActionState value");
  }
  filter.state = static_cast<ActionState>(request.state());
  filter.overdue_only = request.overdue_only();
  filter.owner = request.owner();
  if (auto s = CheckText("owner", filter.owner, 0, 256); !s.ok()) return s;
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  query.page_size = *page_size;
  query.fingerprint =
      FilterFingerprint(absl::StrCat("actions\n", request.requirement(), "\n", request.state(),
                                     "\n", filter.overdue_only, "\n", filter.owner));
  auto cursor = DecodeTimeCursor(request.page_token(), query.fingerprint);
  if (!cursor.ok()) return cursor.status();
  query.after = *cursor;
  return query;
}

absl::StatusOr<ActionUpdateRequest> ParseUpdateAction(const v1::UpdateActionRequest& request) {
  if (!request.has_action()) return FieldError("action", "is required");
  auto id = ParseUuidName("action.name", "actions", request.action().name());
  if (!id.ok()) return id.status();
  auto paths = ActionUpdatePaths(request);
  if (!paths.ok()) return paths.status();
  // Applied to a valid stand-in, the update shows whether its fields are valid on their own.
  ActionFields probe;
  probe.kind = 1;
  probe.title = "t";
  probe.owner = "o";
  if (auto s = ApplyActionUpdate(request, *paths, probe); !s.ok()) return s;
  return ActionUpdateRequest{*std::move(id), *std::move(paths)};
}

absl::StatusOr<ActionCompletionRequest> ParseCompleteActionRequest(
    const v1::CompleteActionRequest& request) {
  auto id = ParseUuidName("name", "actions", request.name());
  if (!id.ok()) return id.status();
  auto completion = ParseCompleteAction(request);
  if (!completion.ok()) return completion.status();
  RequestKey key{request.request_id(), RequestHash(request.name(), *completion), "request_id"};
  return ActionCompletionRequest{*std::move(id), *std::move(completion), std::move(key)};
}

absl::StatusOr<ActionCancellation> ParseCancelAction(const v1::CancelActionRequest& request) {
  auto id = ParseUuidName("name", "actions", request.name());
  if (!id.ok()) return id.status();
  if (request.reason().empty()) return FieldError("reason", "is required");
  if (auto s = CheckText("reason", request.reason(), 1, 4000); !s.ok()) return s;
  return ActionCancellation{*std::move(id), request.reason()};
}

}  // namespace compliance
