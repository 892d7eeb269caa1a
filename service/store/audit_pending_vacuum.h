#pragma once

// VACUUM of audit_pending, the sealer's queue (server/audit_queue_vacuum.h says why).

#include <pqxx/pqxx>

namespace compliance {

/// Whether the role `connection` is logged in as may vacuum audit_pending: PostgreSQL 15 lets
/// the table's owner, the database's owner and superusers, and skips it with a warning for
/// anyone else (a role granted only what serving needs, store/service_role.h).
bool MayVacuumAuditPending(pqxx::connection& connection);

/// Removes the rows seals deleted from audit_pending, and their index entries, which the
/// sealer's read of the queue would otherwise step over.
void VacuumAuditPending(pqxx::connection& connection);

}  // namespace compliance
