#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

namespace compliance::bench {

/// States as the schema stores them.
enum class RowState { kLive = 1, kHistory = 2 };

/// Inserts `count` evidence records (one requirement link each, spread over 5.1.a–h) of
/// `source`, ACTIVE (`kLive`; one in ten already expired) or SUPERSEDED (`kHistory`).
void LoadEvidence(pqxx::connection& connection, int64_t count, RowState state,
                  const std::string& source);

/// Inserts `count` leadership actions: OPEN ones due between 20 days ago and 180 days ahead
/// (`kLive`), or COMPLETED ones from the last three years (`kHistory`).
void LoadActions(pqxx::connection& connection, int64_t count, RowState state);

/// Completes `count` of the OPEN actions, as their owners would.
void CompleteActions(pqxx::connection& connection, int64_t count);

/// What autovacuum would do after a bulk load, done now so plans are stable at once.
void VacuumAnalyze(pqxx::connection& connection);

/// Leaves PostgreSQL nothing to catch up on from earlier rows, so that the next row measures
/// itself rather than their upkeep: VacuumAnalyze (what autovacuum would otherwise do during
/// the row, after the hundreds of thousands of records the batch row writes) and a
/// CHECKPOINT (the pages those rows dirtied written out now, rather than by checkpoints that
/// WAL volume forces one after another during the row). pgbench vacuums its tables before
/// each run for the same reason.
void Settle(pqxx::connection& connection);

/// Extends the sealed audit log and its Merkle tree to `size` events, as if the sealer had
/// sealed them (with placeholder content and leaf hashes: a consistent tree, not a verifiable
/// chain).
void LoadAuditLog(pqxx::connection& connection, int64_t size);

/// The sequence of the newest sealed audit event.
int64_t AuditHead(pqxx::connection& connection);

/// Waits until the sealer has sealed every committed event; false after `timeout_seconds`.
bool WaitForSealing(pqxx::connection& connection, int timeout_seconds);

/// A proto-JSON evidence record of typical size, as audit events carry one.
std::string TypicalEvidenceJson(const std::string& id);

}  // namespace compliance::bench
