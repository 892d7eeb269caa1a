#pragma once

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/action.h"
#include "domain/page.h"
#include "store/connection_pool.h"
#include "store/unit_of_work.h"

namespace compliance {

/// Filters of ListActions; empty members match everything.
struct ActionFilter {
  std::optional<RequirementKey> requirement;
  ActionState state = ActionState::kUnspecified;
  bool overdue_only = false;
  std::string owner;
};

/// Reads leadership actions from PostgreSQL.
class ActionStore {
 public:
  explicit ActionStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// NOT_FOUND when no such action exists.
  absl::StatusOr<Action> Get(const std::string& id, absl::Time deadline);

  /// Up to `limit` actions after `after`, soonest due first; `more` tells whether rows follow.
  absl::StatusOr<std::vector<Action>> List(const ActionFilter& filter,
                                           const std::optional<TimeCursor>& after, int limit,
                                           absl::Time now, absl::Time deadline, bool* more);

 private:
  ConnectionPool& pool_;
};

// Statements of a mutation's unit of work (app/action_commands). Writes return the row as a
// read would.

/// The action as stored; NOT_FOUND when there is none.
absl::StatusOr<Action> LoadAction(UnitOfWork& unit, const std::string& id);
/// Like LoadAction, locking the row until the unit ends.
absl::StatusOr<Action> LockAction(UnitOfWork& unit, const std::string& id);
/// Whether the requirement exists.
bool RequirementExists(UnitOfWork& unit, const RequirementKey& key);
/// Inserts an OPEN action.
Action InsertAction(UnitOfWork& unit, const ActionFields& fields);
/// Stores the client-set fields of `action`.
Action WriteActionFields(UnitOfWork& unit, const Action& action);
/// The stored state of each of `ids` that exists, read-locked until the unit ends.
std::map<std::string, EvidenceState> LockEvidenceStates(UnitOfWork& unit,
                                                        const std::vector<std::string>& ids);
/// Marks the action COMPLETED with its evidence (in the client's order) and successor.
Action WriteCompletion(UnitOfWork& unit, const std::string& id, absl::Time complete_time,
                       const Completion& completion, const std::optional<std::string>& next_id);
/// Marks the action CANCELLED.
Action WriteCancellation(UnitOfWork& unit, const std::string& id, const std::string& reason);

}  // namespace compliance
