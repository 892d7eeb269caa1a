#include "store/mutation_journal.h"

#include "store/audit_sql.h"
#include "store/audit_store.h"
#include "store/idempotency_sql.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

// $1 audit rows, $2 method, $3 actor, $4 request results
constexpr char kWrite[] = "journal_write";
constexpr char kWriteSql[] =
    "WITH audit AS (" AUDIT_APPEND_SQL("$1") " RETURNING 1), "
    "results AS (" IDEMPOTENCY_RECORD_SQL("$2", "$3", "$4") " RETURNING 1) "
    "SELECT (SELECT count(*) FROM audit), (SELECT count(*) FROM results)";

}  // namespace

void PrepareJournalStatements(pqxx::connection& connection) {
  connection.prepare(kWrite, kWriteSql);
}

void WriteJournal(UnitOfWork& unit, Journal& journal) {
  if (journal.audit.empty() && journal.results.empty()) return;
  unit.work().exec_prepared1(kWrite, AuditRowsJson(journal.audit), journal.method, journal.actor,
                             RequestResultsJson(journal.results));
  journal.audit.clear();
  journal.results.clear();
}

}  // namespace compliance
