#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/audit.h"
#include "store/idempotency_store.h"
#include "store/unit_of_work.h"

namespace compliance {

/// What a mutation leaves to be written at its end, in its own transaction: the audit entries
/// of its changes and what its claimed request_ids produced, under the RPC's `method` and the
/// caller's `actor`. A write may take both into its own statement (and clear them); the
/// pipeline writes what is left.
struct Journal {
  std::string method;
  std::string actor;
  std::vector<AuditEntry> audit;
  std::vector<RequestResult> results;
};

/// Prepares the journal's statement on a new connection.
void PrepareJournalStatements(pqxx::connection& connection);

/// Writes what the journal holds in one round trip (none when it holds nothing) and clears it.
void WriteJournal(UnitOfWork& unit, Journal& journal);

}  // namespace compliance
