#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace compliance {

/// The places where the service goes on, lessened, instead of failing. A runtime error
/// degrades and is counted, never ends the process; /metrics exports the counts as
/// compliance_degraded_total{path} so that a dashboard sees what the callers only felt.
enum class DegradedPath {
  kPoolTimeout,          ///< no pooled connection came free in time: the call got UNAVAILABLE
  kDatabaseUnreachable,  ///< a new database connection failed: the call got UNAVAILABLE
  kConnectionLost,       ///< a pooled connection broke during a call, and was dropped
  kAuditWorkerRestart,   ///< the audit worker lost its session: sealing, the feed from memory
                         ///< and the read caches pause until it reconnects (watchers poll)
  kWitnessWriteFailed,   ///< a signed checkpoint did not reach the witness directory
  kJwksFetchFailed,      ///< the identity provider's keys could not be fetched: the keys
                         ///< fetched before stay in use (none: its tokens are refused)
};

/// The label values of compliance_degraded_total, in DegradedPath's order.
inline constexpr std::array<std::string_view, 6> kDegradedPathNames = {
    "pool_timeout",         "database_unreachable", "connection_lost",
    "audit_worker_restart", "witness_write_failed", "jwks_fetch_failed"};

/// How often each DegradedPath was taken since the process started; safe from any thread.
class DegradedCounts {
 public:
  void Count(DegradedPath path) { counts_[Index(path)].fetch_add(1, std::memory_order_relaxed); }
  uint64_t Of(DegradedPath path) const {
    return counts_[Index(path)].load(std::memory_order_relaxed);
  }

 private:
  static size_t Index(DegradedPath path) { return static_cast<size_t>(path); }
  std::array<std::atomic<uint64_t>, kDegradedPathNames.size()> counts_{};
};

/// Counts `path` in `counts`, when there are counts to keep (tools and tests may have none).
inline void CountDegraded(DegradedCounts* counts, DegradedPath path) {
  if (counts != nullptr) counts->Count(path);
}

}  // namespace compliance
