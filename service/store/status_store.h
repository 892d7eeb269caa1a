#pragma once

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/readiness.h"
#include "store/connection_pool.h"

namespace compliance {

/// Everything the readiness report and the compliance metrics show, read in one statement
/// (one snapshot) with aggregate queries over live rows only.
struct ComplianceSnapshot {
  std::vector<RequirementStatus> requirements;  ///< catalog order
  std::map<std::string, absl::Time> last_delivery_by_source;
  int64_t audit_pending_events = 0;  ///< committed changes not yet sealed into the audit log
};

/// Reads compliance snapshots.
class StatusStore {
 public:
  explicit StatusStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// The state of every requirement matching the filters (empty: all), evaluated at `now`.
  absl::StatusOr<ComplianceSnapshot> Snapshot(const std::string& framework,
                                              const std::string& clause, absl::Time now,
                                              absl::Time deadline);

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
