#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "domain/audit.h"
#include "store/change_signal.h"

namespace compliance {

/// The audit log's background work in one server process, over a connection of its own:
/// - competes for the sealer lock (any replica may hold it; it moves on when its holder
///   dies) and, while holding it, seals committed pending entries into the chain;
/// - listens for "sealed" notifications from every replica, reads the newly sealed events
///   from the table once, keeps the most recent ones in memory and wakes the watchers of
///   WatchAuditEvents, so that a hundred watchers cost one query per seal, not a hundred.
///   Notifications only wake; the table is the truth, so a missed one delays a watcher by one
///   poll at most, and a watcher behind what memory holds reads the table itself;
/// - tells `changes` of every mutation committed anywhere (each queues a pending entry, whose
///   notification arrives at commit), so that read caches stay exact across replicas.
class AuditWorker {
 public:
  AuditWorker(std::string database_url, absl::Duration poll, ChangeSignal& changes);
  ~AuditWorker();

  void Start();
  /// Stops the worker and releases every waiting watcher.
  void Stop();

  /// Why WaitBeyond returned.
  enum class Wake { kNewEvents, kTimeout, kStopping };

  /// Blocks until events beyond `sequence` are held, `timeout` passes, or Stop().
  Wake WaitBeyond(int64_t sequence, absl::Duration timeout);

  /// Up to `limit` sealed events after `after_sequence` from memory, in sequence order and
  /// without gaps; nullopt when memory no longer reaches back that far (read the table).
  std::optional<std::vector<std::shared_ptr<const AuditEvent>>> RecentAfter(int64_t after_sequence,
                                                                            int limit) const;

 private:
  void Run();
  /// Reads every event sealed after the newest one held, keeping at most kRecentEvents.
  void CatchUp(pqxx::connection& connection);

  const std::string database_url_;
  const absl::Duration poll_;
  ChangeSignal& changes_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  // The newest sealed events, ending at sealed_ (recent_ may be empty: then it holds nothing
  // before sealed_ either, and watchers at sealed_ wait for what comes next).
  std::deque<std::shared_ptr<const AuditEvent>> recent_;
  int64_t sealed_ = -1;  // newest sequence held; -1 until the first read of the head
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace compliance
