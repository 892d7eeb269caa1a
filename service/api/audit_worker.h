#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/time/time.h"

namespace compliance {

/// The audit log's background work in one server process, over a connection of its own:
/// - competes for the sealer lock (any replica may hold it; it moves on when its holder
///   dies) and, while holding it, seals committed pending entries into the chain;
/// - listens for "sealed" notifications from every replica and wakes the watchers of
///   WatchAuditEvents. Notifications only wake; the table is the truth, so a missed one
///   delays a watcher by one poll at most.
class AuditWorker {
 public:
  AuditWorker(std::string database_url, absl::Duration poll);
  ~AuditWorker();

  void Start();
  /// Stops the worker and releases every waiting watcher.
  void Stop();

  /// Blocks until events beyond `sequence` may be sealed, `timeout` passes, or Stop().
  /// Returns false once stopping.
  bool WaitBeyond(int64_t sequence, absl::Duration timeout);

 private:
  void Run();
  void Announce(int64_t sequence);

  const std::string database_url_;
  const absl::Duration poll_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int64_t sealed_ = 0;  // highest sequence known to be sealed
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace compliance
