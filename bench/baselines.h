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

/// After a script's INSERT into audit_pending, in a transaction of its own: the sealer learns
/// of another replica's entries by this notification, which a replica sends after its commit
/// (once for all its commits since it last looked), never inside it. Commits themselves notify
/// nobody (migration 0010), so a writer that did not send it would be seen only at the sealer's
/// next poll.
inline constexpr char kAsAnotherReplica[] = "NOTIFY audit_pending;\n";

/// One audit event queued for sealing, as any mutation queues it, then announced as another
/// replica announces its entries.
std::string AuditEventScript();

/// COPYs `records` evidence rows, their links and their audit events into the service's
/// tables (indexes, constraints and triggers in place), `per_transaction` records to a
/// transaction; returns seconds. Each `round` makes other ids.
double CopyEvidence(const std::string& database_url, int64_t records, int64_t per_transaction,
                    int64_t round);

}  // namespace compliance::bench
