#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <type_traits>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/connection_pool.h"
#include "store/deadline_transaction.h"

namespace compliance {

/// How a database exception should be answered. kRetry: a conflict with a concurrent
/// transaction. kLostConnection: the connection broke before the outcome was decided (a
/// broken commit is in_doubt_error, kUnavailable), so running again on a fresh one is safe.
enum class DatabaseFailure {
  kRetry,
  kLostConnection,
  kUnavailable,
  kTimeout,
  kAlreadyExists,
  kInternal
};

/// Prepares the statements RunTransaction itself uses; every pooled connection needs them.
void PrepareTransactionStatements(pqxx::connection& connection);

/// Classifies the exception being handled (call from a catch block only).
DatabaseFailure ClassifyCurrentException(pqxx::connection& connection);

/// The client-facing status for a failure; details are logged, never returned.
absl::Status FailureStatus(DatabaseFailure failure);

/// Bounds the single-statement reads of a leased connection by `deadline` through the
/// session's statement_timeout, in steps of a quarter (rounded down), so that calls with
/// similar deadlines share the setting and most reads pay no extra round trip.
void ApplyReadDeadline(ConnectionPool::Lease& lease, absl::Time deadline);

/// Runs `attempt` on a pooled connection; serialization failures and deadlocks are retried,
/// a lost connection once on a fresh one; no exception escapes.
template <typename T>
absl::StatusOr<T> WithRetries(
    ConnectionPool& pool, absl::Time deadline,
    const std::function<absl::StatusOr<T>(ConnectionPool::Lease&)>& attempt_on) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.Acquire(deadline);
    if (!lease.ok()) return lease.status();
    DatabaseFailure failure;
    try {
      return attempt_on(*lease);
    } catch (...) {
      failure = ClassifyCurrentException(lease->connection());
    }
    if (failure == DatabaseFailure::kLostConnection || failure == DatabaseFailure::kUnavailable) {
      lease->Discard();
      pool.DiscardIdle();
    }
    const bool retry = failure == DatabaseFailure::kRetry ||
                       (failure == DatabaseFailure::kLostConnection && attempt == 1);
    if (!retry || attempt == kAttempts || absl::Now() >= deadline) return FailureStatus(failure);
  }
}

/// Like RunTransaction, also passing `body` the transaction's start time (now(), which column
/// defaults such as create_time record, so writers need not read it back).
template <typename T>
absl::StatusOr<T> RunTransactionAt(
    ConnectionPool& pool, absl::Time deadline,
    const std::function<absl::StatusOr<T>(pqxx::dbtransaction&, absl::Time start)>& body) {
  return WithRetries<T>(pool, deadline, [&](ConnectionPool::Lease& lease) -> absl::StatusOr<T> {
    DeadlineTransaction work(lease.connection(), deadline);
    absl::StatusOr<T> result = body(work, work.start());
    if (result.ok()) {
      work.commit();
      pool.changes().Committed();
    }
    return result;
  });
}

/// Runs `body` in one transaction on a pooled connection, its statements and lock waits bounded
/// by `deadline`, and commits when it returns OK; a non-OK status rolls everything back.
/// Serialization failures and deadlocks are retried; lost connections become UNAVAILABLE; no
/// exception escapes.
template <typename T>
absl::StatusOr<T> RunTransaction(
    ConnectionPool& pool, absl::Time deadline,
    const std::function<absl::StatusOr<T>(pqxx::dbtransaction&)>& body) {
  return RunTransactionAt<T>(pool, deadline,
                             [&](pqxx::dbtransaction& work, absl::Time) { return body(work); });
}

/// Read-only variant without a transaction block: each statement is one round trip (no BEGIN
/// or COMMIT), seeing committed data as of its own start, as in a READ COMMITTED transaction.
template <typename Body>
auto RunRead(ConnectionPool& pool, absl::Time deadline, Body&& body) {
  using Result = std::invoke_result_t<Body, pqxx::transaction_base&>;
  using Value = typename Result::value_type;
  return WithRetries<Value>(pool, deadline, [&](ConnectionPool::Lease& lease) -> Result {
    ApplyReadDeadline(lease, deadline);
    pqxx::nontransaction work(lease.connection());
    return body(work);
  });
}

}  // namespace compliance
