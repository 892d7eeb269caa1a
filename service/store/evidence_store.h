#pragma once

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/evidence.h"
#include "domain/evidence_plan.h"
#include "domain/page.h"
#include "store/connection_pool.h"
#include "store/mutation_journal.h"
#include "store/requirement_catalog.h"
#include "store/unit_of_work.h"

namespace compliance {

/// Filters of ListEvidence; empty members match everything.
struct EvidenceFilter {
  std::optional<RequirementKey> requirement;
  int kind = 0;
  std::string source;
  EvidenceState state = EvidenceState::kUnspecified;
  bool include_expired = false;
};

/// What the creates of one unit may collide with, locked until the unit ends.
struct Collisions {
  std::vector<StoredRecord> active;  ///< ACTIVE records of the (source, external_id) keys
  std::map<std::string, StoredRecord> targets;  ///< by id: the records named by explicit supersedes
};

/// A record to insert: the request, its new id and the record it supersedes.
struct RecordToInsert {
  const NewEvidence* request;
  std::string id;
  std::optional<std::string> supersedes;
};

/// Reads evidence from PostgreSQL, and runs the statements of evidence mutations
/// (app/evidence_commands) in their units of work.
class EvidenceStore {
 public:
  explicit EvidenceStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// NOT_FOUND when no such record exists.
  absl::StatusOr<Evidence> Get(const std::string& id, absl::Time deadline);

  /// Up to `limit` records after `after`, newest first; `more` tells whether rows follow.
  absl::StatusOr<std::vector<Evidence>> List(const EvidenceFilter& filter,
                                             const std::optional<TimeCursor>& after, int limit,
                                             absl::Time now, absl::Time deadline, bool* more);

  /// The first of `keys` that does not exist, if any (from memory while every key is known).
  std::optional<RequirementKey> MissingRequirement(UnitOfWork& unit,
                                                   const std::vector<RequirementKey>& keys);

  /// The records `requests` may collide with. When the unit is Contended, the keys are locked
  /// first, so that writers of a contested key queue up instead of failing in turn.
  static Collisions LockCollisions(UnitOfWork& unit, const std::vector<NewEvidence>& requests);

  /// Marks each record of `superseded` ((id, successor id) pairs) SUPERSEDED, then inserts
  /// `records` with their requirement links, taking the journal into the same statement (or,
  /// for kCopyRecordsFrom records or more, by COPY: store/evidence_copy.h).
  /// WriteConflict when a concurrent writer of one of the keys committed first.
  static absl::Status WriteCreates(
      UnitOfWork& unit, const std::vector<RecordToInsert>& records,
      const std::vector<std::pair<std::string, std::string>>& superseded, Journal& journal);

  /// The records of `ids` that exist, by id.
  static std::map<std::string, Evidence> Load(UnitOfWork& unit,
                                              const std::vector<std::string>& ids);

  /// The record, locked until the unit ends; NOT_FOUND when there is none.
  static absl::StatusOr<Evidence> Lock(UnitOfWork& unit, const std::string& id);

  /// Marks the record WITHDRAWN with a reason.
  static void WriteWithdrawal(UnitOfWork& unit, const std::string& id, const std::string& reason);

 private:
  ConnectionPool& pool_;
  RequirementCatalog catalog_;
};

}  // namespace compliance
