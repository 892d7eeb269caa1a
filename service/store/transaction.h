#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <type_traits>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/connection_pool.h"

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

/// Bounds every statement and lock wait of the transaction by the request's deadline.
void ApplyDeadline(pqxx::work& work, absl::Time deadline);

/// Classifies the exception being handled (call from a catch block only).
DatabaseFailure ClassifyCurrentException(pqxx::connection& connection);

/// The client-facing status for a failure; details are logged, never returned.
absl::Status FailureStatus(DatabaseFailure failure);

/// Runs `body` in one transaction on a pooled connection and commits when it returns OK;
/// a non-OK status rolls everything back. Serialization failures and deadlocks are retried;
/// lost connections become UNAVAILABLE; no exception escapes.
template <typename T>
absl::StatusOr<T> RunTransaction(ConnectionPool& pool, absl::Time deadline,
                                 const std::function<absl::StatusOr<T>(pqxx::work&)>& body) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.Acquire(deadline);
    if (!lease.ok()) return lease.status();
    DatabaseFailure failure;
    try {
      pqxx::work work(lease->connection());
      ApplyDeadline(work, deadline);
      absl::StatusOr<T> result = body(work);
      if (result.ok()) work.commit();
      return result;
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

/// Read-only variant: same error handling, and nothing to commit.
template <typename Body>
auto RunRead(ConnectionPool& pool, absl::Time deadline, Body&& body) {
  using Result = std::invoke_result_t<Body, pqxx::work&>;
  using Value = typename Result::value_type;
  return RunTransaction<Value>(pool, deadline, std::forward<Body>(body));
}

}  // namespace compliance
