#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/audit.h"
#include "store/connection_pool.h"

namespace compliance {

/// Entries as the json array that AUDIT_APPEND_SQL (store/audit_sql.h) reads; their
/// before_json and after_json must each be a JSON document or empty.
std::string AuditRowsJson(const std::vector<AuditEntry>& entries);

/// Queues audit entries inside the mutation's own transaction (one round trip for all).
void AppendAuditEntries(pqxx::dbtransaction& work, const std::vector<AuditEntry>& entries);

/// The same by COPY, for a batch's many entries: PostgreSQL stores each while the next is
/// written (store/evidence_copy.h).
void CopyAuditEntries(pqxx::transaction_base& work, const std::vector<AuditEntry>& entries);

/// What VerifyAuditLog reports.
struct ChainReport {
  bool intact = true;
  int64_t verified_events = 0;
  int64_t first_broken_sequence = 0;
  std::string detail;
};

/// Reads the sealed audit log and seals pending entries into it.
class AuditStore {
 public:
  explicit AuditStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Up to `limit` sealed events after `after_sequence`, ascending; `resource` filters
  /// when not empty.
  absl::StatusOr<std::vector<AuditEvent>> List(int64_t after_sequence, const std::string& resource,
                                               int limit, absl::Time deadline);

  /// Like List, inside the caller's transaction; throws on errors.
  static std::vector<AuditEvent> ListIn(pqxx::transaction_base& work, int64_t after_sequence,
                                        const std::string& resource, int limit);

  /// The sealed event `sequence`, if any, inside the caller's transaction; throws on errors.
  static std::optional<AuditEvent> GetIn(pqxx::transaction_base& work, int64_t sequence);

  /// Like List, on a connection of the caller's own (no pool, no filter); throws on errors.
  static std::vector<AuditEvent> ListOn(pqxx::connection& connection, int64_t after_sequence,
                                        int limit);

  /// The sequence of the newest sealed event, on the caller's connection; throws on errors.
  static int64_t HeadOn(pqxx::connection& connection);

  /// Recomputes the whole chain and reports the first event altered, deleted or reordered.
  absl::StatusOr<ChainReport> Verify(absl::Time deadline);

  /// Seals up to `limit` committed pending entries, in order, continuing the chain and the
  /// Merkle tree (TreeOutOfStep when the tree does not end where the log does). Only the
  /// holder of the sealer lock may call it. Returns how many were sealed; `sealed`, when
  /// given, receives those events as committed, in sequence order.
  static int SealBatch(pqxx::connection& connection, int limit,
                       std::vector<AuditEvent>* sealed = nullptr);

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
