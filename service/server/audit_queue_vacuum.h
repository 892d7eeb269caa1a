#pragma once

#include <cstdint>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace compliance {

/// Keeps audit_pending, the sealer's queue, clear of what seals moved out of it. A seal
/// deletes the entries it moved, but the table's primary key keeps their index entries until
/// a vacuum, and each seal's read of the queue walks the key from its lowest id, over every
/// one of them. After the bench's batch row (200,000 entries through the queue) that read
/// touched about 540 pages and took 2–3 ms to find a few pending entries, against 0.06–0.14 ms
/// after a vacuum, and autovacuum comes by once a minute at most by default (bench/README.md,
/// change 42).
/// The sealer counts what it moves; every kVacuumAfterMoved entries this vacuums the table, on
/// a thread and connection of its own, so that no seal waits for it. A role that may not
/// vacuum the table (one granted only what serving needs) leaves it to autovacuum.
class AuditQueueVacuum {
 public:
  /// Entries moved between vacuums: a seal steps over at most about 30 index pages of them,
  /// and a log written 1,000 times a second is vacuumed every ten seconds.
  static constexpr int64_t kVacuumAfterMoved = 10000;

  explicit AuditQueueVacuum(std::string database_url);
  ~AuditQueueVacuum();
  AuditQueueVacuum(const AuditQueueVacuum&) = delete;
  AuditQueueVacuum& operator=(const AuditQueueVacuum&) = delete;

  void Start();
  /// Waits for a vacuum under way to finish.
  void Stop();
  /// The sealer moved `count` entries out of the queue.
  void Moved(int64_t count);
  /// Vacuums finished so far.
  int64_t vacuums();

 private:
  void Run();
  bool Due() const ABSL_SHARED_LOCKS_REQUIRED(mutex_);
  enum class Outcome { kVacuumed, kFailed, kNotAllowed };
  /// Connects when not connected, and vacuums.
  Outcome VacuumOnce();

  const std::string database_url_;
  std::unique_ptr<pqxx::connection> connection_;  // the thread's own
  absl::Mutex mutex_;
  int64_t moved_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t vacuums_ ABSL_GUARDED_BY(mutex_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace compliance
