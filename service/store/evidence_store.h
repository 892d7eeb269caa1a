#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/evidence.h"
#include "domain/page.h"
#include "store/audit_store.h"
#include "store/connection_pool.h"
#include "store/requirement_catalog.h"

namespace compliance {

/// The outcome of one create.
struct CreatedEvidence {
  Evidence evidence;
  bool deduplicated = false;
};

/// Filters of ListEvidence; empty members match everything.
struct EvidenceFilter {
  std::optional<RequirementKey> requirement;
  int kind = 0;
  std::string source;
  EvidenceState state = EvidenceState::kUnspecified;
  bool include_expired = false;
};

/// Reads and writes evidence in PostgreSQL.
class EvidenceStore {
 public:
  explicit EvidenceStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Creates records in one transaction, in request order: request_id retries and re-sent
  /// (source, external_id) content are deduplicated, changed content supersedes. Any failure
  /// writes nothing. `batch` only shapes the field paths in errors. Non-empty `sources` limits
  /// which records an explicit `supersedes` may retire (PERMISSION_DENIED otherwise).
  absl::StatusOr<std::vector<CreatedEvidence>> Create(const std::vector<NewEvidence>& requests,
                                                      bool batch, const std::string& actor,
                                                      absl::Time now, absl::Time deadline,
                                                      const AuditFn<Evidence>& audit = {},
                                                      const std::vector<std::string>& sources = {});

  /// NOT_FOUND when no such record exists.
  absl::StatusOr<Evidence> Get(const std::string& id, absl::Time deadline);

  /// Up to `limit` records after `after`, newest first; `more` tells whether rows follow.
  absl::StatusOr<std::vector<Evidence>> List(const EvidenceFilter& filter,
                                             const std::optional<TimeCursor>& after, int limit,
                                             absl::Time now, absl::Time deadline, bool* more);

  /// Withdraws an ACTIVE record after `check` (the etag) passes.
  absl::StatusOr<Evidence> Withdraw(const std::string& id, const std::string& reason,
                                    const std::function<absl::Status(const Evidence&)>& check,
                                    absl::Time deadline, const AuditFn<Evidence>& audit = {});

 private:
  ConnectionPool& pool_;
  RequirementCatalog catalog_;
};

}  // namespace compliance
