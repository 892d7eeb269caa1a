#include "store/deadline_transaction.h"

#include <algorithm>
#include <cstdint>
#include <exception>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace compliance {
namespace {

// The SQL of BEGIN: the statement and lock timeouts are the transaction's own (set_config's
// true), given in milliseconds, an integer this code formats: nothing from a request.
std::string BeginSql(absl::Time deadline) {
  // At least a little time, so a nearly spent deadline fails in PostgreSQL, not here.
  const int64_t ms = std::max<int64_t>(50, absl::ToInt64Milliseconds(deadline - absl::Now()));
  return absl::StrCat("BEGIN; SELECT set_config('statement_timeout', '", ms,
                      "', true), set_config('lock_timeout', '", ms, "', true), ts_to_us(now())");
}

}  // namespace

DeadlineTransaction::DeadlineTransaction(pqxx::connection_base& connection, absl::Time deadline)
    : pqxx::internal::namedclass("DeadlineTransaction"),
      basic_transaction(connection, "READ COMMITTED", pqxx::read_write),
      begin_sql_(BeginSql(deadline)) {
  Begin();
}

DeadlineTransaction::~DeadlineTransaction() noexcept { End(); }

void DeadlineTransaction::do_begin() {
  try {
    // One simple query of two statements; the result is the last one's. No retries: a lost
    // connection is the caller's to handle, on a fresh one.
    const pqxx::result row = direct_exec(begin_sql_.c_str());
    start_ = absl::FromUnixMicros(row.at(0).at(2).as<int64_t>());
  } catch (const std::exception&) {
    // BEGIN may have opened the block before the SELECT failed: pqxx thinks no transaction
    // was begun, so it would not end it, and the pooled connection would be left in it.
    try {
      if (conn().is_open()) direct_exec("ROLLBACK");
    } catch (const std::exception&) {
    }
    throw;
  }
}

}  // namespace compliance
