#pragma once

#include <cstdint>
#include <string>

namespace compliance::bench {

/// Transactions per second of pgbench running `script` (pgbench's own script language) with
/// `clients` connections for `seconds`; `rate` > 0 throttles to that many per second.
double RunPgbench(const std::string& pgbench, const std::string& database_url,
                  const std::string& script, int clients, int seconds, int rate = 0);

/// The INSERTs one CreateEvidence makes (evidence, its requirement link, its audit event),
/// as one transaction, in pgbench's script language.
std::string CreateEvidenceScript();

/// One audit event queued for sealing, as any mutation queues it.
std::string AuditEventScript();

/// COPYs `records` evidence rows, their links and their audit events into the service's
/// tables (indexes, constraints and triggers in place), in one transaction; returns seconds.
/// Each `round` makes other ids.
double CopyEvidence(const std::string& database_url, int64_t records, int64_t round = 0);

}  // namespace compliance::bench
