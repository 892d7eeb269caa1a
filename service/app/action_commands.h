#pragma once

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "app/mutation.h"
#include "domain/action.h"
#include "domain/audit.h"

namespace compliance {

/// The mutations of leadership actions, each one run through the mutation pipeline.
class ActionCommands {
 public:
  explicit ActionCommands(ConnectionPool& pool) : pool_(pool) {}

  /// Creates an action; a repeated request_id returns the first one (flag false). NOT_FOUND
  /// when the requirement does not exist.
  absl::StatusOr<std::pair<Action, bool>> Create(const MutationContext& context,
                                                 const ActionFields& fields, const RequestKey& key,
                                                 const AuditFn<Action>& audit) const;

  /// Changes an OPEN action's fields through `change`, after the etags (the request's and the
  /// one inside the resource, either may be empty) match the stored version.
  absl::StatusOr<Action> Update(const MutationContext& context, const std::string& id,
                                const std::string& request_etag, const std::string& resource_etag,
                                const std::function<absl::Status(ActionFields&)>& change,
                                const AuditFn<Action>& audit) const;

  /// Completes an OPEN action at `now` (or the completion's time), attaching ACTIVE evidence;
  /// a recurring one gets its successor in the same transaction. A repeated request_id
  /// returns the first result.
  absl::StatusOr<CompletedAction> Complete(const MutationContext& context, const std::string& id,
                                           const Completion& completion, const RequestKey& key,
                                           absl::Time now, const AuditFn<Action>& audit) const;

  /// Cancels an OPEN action with a reason.
  absl::StatusOr<Action> Cancel(const MutationContext& context, const std::string& id,
                                const std::string& reason, const std::string& etag,
                                const AuditFn<Action>& audit) const;

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
