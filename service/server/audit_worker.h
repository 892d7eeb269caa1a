#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "api/audit_feed.h"
#include "api/audit_mapping.h"
#include "domain/degraded_counts.h"
#include "server/audit_checkpointer.h"
#include "server/audit_queue_vacuum.h"
#include "store/audit_log_session.h"
#include "store/change_signal.h"

namespace compliance {

/// The audit log's background work in one server process, over a connection of its own:
/// - competes for the sealer lock (any replica may hold it; it moves on when its holder
///   dies) and, while holding it, seals committed pending entries into the chain and the
///   Merkle tree, and signs checkpoints of the tree;
/// - listens for "sealed" notifications from every replica, reads the newly sealed events
///   from the table once, keeps the most recent ones in memory, serialized, and tells the
///   watchers of WatchAuditEvents, so that a hundred watchers cost one query and one
///   serialization per event, not a hundred. Notifications only wake; the table is the truth,
///   so a missed one delays the feed by one poll at most, and a watcher behind what memory
///   holds reads the table itself;
/// - wakes on this process's commits (`changes`): the sealer seals them; any other replica
///   sends "audit_pending", once for all its commits since its last wake, so that the sealer
///   wakes without writers notifying at commit (which serialised commits);
/// - tells `changes` of every mutation committed elsewhere ("audit_pending" from replicas
///   that do not seal, "audit_sealed" from the one that does), so that read caches stay
///   exact across replicas.
class AuditWorker final : public AuditFeed {
 public:
  /// `checkpointer` signs checkpoints while this process seals; each lost session is
  /// counted in `degraded`.
  AuditWorker(std::string database_url, absl::Duration poll, ChangeSignal& changes,
              AuditCheckpointer& checkpointer, DegradedCounts& degraded);
  ~AuditWorker();

  /// `on_sealed` runs on the worker's thread whenever memory holds newer events; set it
  /// before Start().
  void Start(std::function<void()> on_sealed);
  void Stop();

  /// Whether memory follows the log: connected and listening. While it does not, the
  /// watchers poll the table.
  bool following() const override { return following_.load(std::memory_order_acquire); }

  /// Up to `limit` sealed events after `after_sequence` from memory, in sequence order and
  /// without gaps; nullopt when memory no longer reaches back that far (read the table).
  std::optional<std::vector<WatchMessage>> RecentAfter(int64_t after_sequence,
                                                       int limit) const override;

 private:
  /// Opens a session, follows the log with it until it fails or Stop(), and again.
  void Run();
  /// Seals while it leads, and reads what others sealed, until Stop(); `sealed_elsewhere`
  /// is set by the session's notifications.
  void Follow(AuditLogSession& session, bool& sealed_elsewhere);
  /// Reads every event sealed after the newest one held, keeping at most kRecentEvents.
  void CatchUp(AuditLogSession& session);
  /// Appends sealed events to memory and wakes watchers; false (nothing done) when they do
  /// not continue the events held.
  bool Publish(const std::vector<AuditEvent>& events);
  /// Waits until the interval between seals has passed since `seal_started`, or Stop().
  void PauseBetweenSeals(absl::Time seal_started);
  /// Seals what is pending, building the tree first where it lags behind the log (after an
  /// upgrade from a version without it). Returns whether anything was sealed; `behind` is set
  /// when the sealed events do not continue what memory holds.
  bool SealPending(AuditLogSession& session, bool* behind);
  /// Adds the leaves of sealed events the tree lacks.
  void ExtendTree(AuditLogSession& session);

  const std::string database_url_;
  const absl::Duration poll_;
  AuditQueueVacuum queue_vacuum_;
  ChangeSignal& changes_;
  AuditCheckpointer& checkpointer_;
  DegradedCounts& degraded_;
  std::function<void()> on_sealed_;
  std::atomic<bool> following_{false};
  absl::Notification stop_;
  mutable absl::Mutex mutex_;
  // The newest sealed events, ending at sealed_ (recent_ may be empty: then it holds nothing
  // before sealed_ either, and watchers at sealed_ wait for what comes next).
  std::deque<WatchMessage> recent_ ABSL_GUARDED_BY(mutex_);
  // The newest sequence held; -1 until the first read of the head.
  int64_t sealed_ ABSL_GUARDED_BY(mutex_) = -1;
  std::thread thread_;
};

}  // namespace compliance
