#include "store/audit_pending_vacuum.h"

namespace compliance {

bool MayVacuumAuditPending(pqxx::connection& connection) {
  return pqxx::nontransaction(connection)
      .exec1(
          "SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE')"
          "  OR pg_has_role(current_user, d.datdba, 'USAGE') "
          "FROM pg_roles r, pg_class c, pg_database d "
          "WHERE r.rolname = current_user AND c.oid = 'audit_pending'::regclass"
          "  AND d.datname = current_database()")[0]
      .as<bool>();
}

void VacuumAuditPending(pqxx::connection& connection) {
  // INDEX_CLEANUP ON: the index entries are the point, and PostgreSQL would otherwise skip the
  // index when few of the table's pages hold dead rows. The table's end is not truncated
  // (migration 0014).
  pqxx::nontransaction(connection).exec0("VACUUM (INDEX_CLEANUP ON) audit_pending");
}

}  // namespace compliance
