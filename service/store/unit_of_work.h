#pragma once

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "store/connection_pool.h"

namespace compliance {

/// One transaction of a mutation. Opaque above the store: the application layer passes it to
/// repositories, which run their named statements in it (store/unit_of_work_sql.h).
class UnitOfWork;

/// When the transaction began, as PostgreSQL keeps it (now()): what the create_time and
/// update_time defaults record, so writers need not read their rows back for them.
absl::Time StartTime(const UnitOfWork& unit);

/// Whether an earlier attempt of this unit ran into a concurrent writer (WriteConflict): then
/// repositories take the locks that make such writers queue instead of failing in turn.
bool Contended(const UnitOfWork& unit);

/// The status a repository returns when a concurrent transaction committed a row this one
/// was about to write (a unique key): the whole unit runs again, marked Contended.
absl::Status WriteConflict(absl::string_view detail);

/// Runs `body` in one transaction on a pooled connection and commits when it returns OK; a
/// non-OK status rolls everything back. Serialization failures, deadlocks and write conflicts
/// run `body` again from the start, a lost connection once on a fresh one; no exception
/// escapes. `body` must keep its results only through what it is given again on each run.
absl::Status RunUnitOfWork(ConnectionPool& pool, absl::Time deadline,
                           const std::function<absl::Status(UnitOfWork&)>& body);

}  // namespace compliance
