#include "store/statements.h"

#include "store/action_store.h"
#include "store/audit_store.h"
#include "store/audit_tree_store.h"
#include "store/evidence_store.h"
#include "store/idempotency_store.h"
#include "store/mutation_journal.h"
#include "store/requirement_store.h"
#include "store/status_store.h"
#include "store/token_store.h"
#include "store/transaction.h"
#include "store/webhook_delivery_store.h"
#include "store/webhook_store.h"

namespace compliance {

void PrepareStatements(pqxx::connection& connection) {
  PrepareTransactionStatements(connection);
  RequirementStore::Prepare(connection);
  EvidenceStore::Prepare(connection);
  IdempotencyStore::Prepare(connection);
  PrepareJournalStatements(connection);
  StatusStore::Prepare(connection);
  AuditStore::Prepare(connection);
  AuditTreeStore::Prepare(connection);
  TokenStore::Prepare(connection);
  ActionStore::Prepare(connection);
  WebhookStore::Prepare(connection);
  WebhookDeliveryStore::Prepare(connection);
}

}  // namespace compliance
