#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/action.h"
#include "domain/page.h"
#include "store/audit_store.h"
#include "store/connection_pool.h"

namespace compliance {

/// Filters of ListActions; empty members match everything.
struct ActionFilter {
  std::optional<RequirementKey> requirement;
  ActionState state = ActionState::kUnspecified;
  bool overdue_only = false;
  std::string owner;
};

/// A completion to record.
struct Completion {
  std::vector<std::string> evidence;  ///< evidence ids, in the client's order
  std::string note;
  std::optional<absl::Time> complete_time;  ///< default: now
  std::string etag;
  std::string request_id;
  std::string request_hash;
};

/// A completed action and, for a recurring one, its successor.
struct CompletedAction {
  Action action;
  std::optional<Action> next_action;
};

/// Reads and writes leadership actions in PostgreSQL.
class ActionStore {
 public:
  explicit ActionStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Creates an action; a repeated `request_id` returns the first one. NOT_FOUND when the
  /// requirement does not exist. The flag tells whether this call created it.
  absl::StatusOr<std::pair<Action, bool>> Create(const ActionFields& fields,
                                                 const std::string& request_id,
                                                 const std::string& request_hash,
                                                 const std::string& actor, absl::Time deadline,
                                                 const AuditFn<Action>& audit = {});

  /// NOT_FOUND when no such action exists.
  absl::StatusOr<Action> Get(const std::string& id, absl::Time deadline);

  /// Up to `limit` actions after `after`, soonest due first; `more` tells whether rows follow.
  absl::StatusOr<std::vector<Action>> List(const ActionFilter& filter,
                                           const std::optional<TimeCursor>& after, int limit,
                                           absl::Time now, absl::Time deadline, bool* more);

  /// Locks the action, lets `change` check and modify its fields, and stores them.
  absl::StatusOr<Action> Update(const std::string& id,
                                const std::function<absl::Status(Action&)>& change,
                                absl::Time deadline, const AuditFn<Action>& audit = {});

  /// Completes an OPEN action, attaching ACTIVE evidence; opens the successor of a recurring
  /// action in the same transaction. A repeated `request_id` returns the first result.
  absl::StatusOr<CompletedAction> Complete(const std::string& id, const Completion& completion,
                                           const std::string& actor, absl::Time now,
                                           absl::Time deadline, const AuditFn<Action>& audit = {});

  /// Cancels an OPEN action with a reason.
  absl::StatusOr<Action> Cancel(const std::string& id, const std::string& reason,
                                const std::string& etag, absl::Time deadline,
                                const AuditFn<Action>& audit = {});

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
