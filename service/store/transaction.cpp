#include "store/transaction.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace compliance {
namespace {

constexpr char kSetSessionTimeout[] = "transaction_set_session_timeout";
constexpr char kSetSessionTimeoutSql[] = "SELECT set_config('statement_timeout', $1, false)";

// 50 ms × 1.25^k, the largest not beyond `remaining`; 0 (none) past an hour.
int64_t ReadTimeoutStep(absl::Duration remaining) {
  if (remaining >= absl::Hours(1)) return 0;
  const double ms = absl::ToDoubleMilliseconds(remaining);
  double step = 50;
  while (step * 1.25 <= ms) step *= 1.25;
  return static_cast<int64_t>(step);
}

// SQLSTATE classes meaning the server went away or is shutting down.
bool IsConnectionState(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0;
}

}  // namespace

void PrepareTransactionStatements(pqxx::connection& connection) {
  connection.prepare(kSetSessionTimeout, kSetSessionTimeoutSql);
}

void ApplyReadDeadline(ConnectionPool::Lease& lease, absl::Time deadline) {
  const int64_t step = ReadTimeoutStep(deadline - absl::Now());
  if (lease.statement_timeout_ms() == step) return;
  pqxx::nontransaction(lease.connection()).exec_prepared(kSetSessionTimeout, std::to_string(step));
  lease.statement_timeout_ms() = step;
}

DatabaseFailure ClassifyCurrentException(pqxx::connection& connection) {
  try {
    throw;
  } catch (const pqxx::serialization_failure&) {
    return DatabaseFailure::kRetry;
  } catch (const pqxx::deadlock_detected&) {
    return DatabaseFailure::kRetry;
  } catch (const pqxx::broken_connection& e) {
    spdlog::warn("database connection lost: {}", e.what());
    return DatabaseFailure::kLostConnection;
  } catch (const pqxx::in_doubt_error& e) {
    spdlog::error("database commit outcome unknown: {}", e.what());
    return DatabaseFailure::kUnavailable;
  } catch (const pqxx::unique_violation& e) {
    spdlog::warn("database unique violation: {}", e.what());
    return DatabaseFailure::kAlreadyExists;
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "57014" || e.sqlstate() == "55P03") {
      spdlog::warn("database statement ran out of time ({}): {}", e.sqlstate(), e.what());
      return DatabaseFailure::kTimeout;
    }
    if (IsConnectionState(e.sqlstate()) || !connection.is_open()) {
      spdlog::warn("database connection lost ({}): {}", e.sqlstate(), e.what());
      return DatabaseFailure::kLostConnection;
    }
    spdlog::error("database error ({}) in {}: {}", e.sqlstate(), e.query(), e.what());
    return DatabaseFailure::kInternal;
  } catch (const std::exception& e) {
    if (!connection.is_open()) {
      spdlog::warn("database connection lost: {}", e.what());
      return DatabaseFailure::kLostConnection;
    }
    spdlog::error("unexpected error in a database transaction: {}", e.what());
    return DatabaseFailure::kInternal;
  } catch (...) {
    spdlog::error("unexpected non-standard exception in a database transaction");
    return DatabaseFailure::kInternal;
  }
}

absl::Status FailureStatus(DatabaseFailure failure) {
  switch (failure) {
    case DatabaseFailure::kUnavailable:
    case DatabaseFailure::kLostConnection:
    case DatabaseFailure::kRetry:
      return absl::UnavailableError("database: unavailable; retry later");
    case DatabaseFailure::kTimeout:
      return absl::DeadlineExceededError("database: the request ran out of time; retry");
    case DatabaseFailure::kAlreadyExists:
      return absl::AlreadyExistsError("the resource already exists");
    case DatabaseFailure::kInternal:
      break;
  }
  return absl::InternalError("internal error; see the server log");
}

}  // namespace compliance
