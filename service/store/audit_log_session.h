#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/audit.h"
#include "domain/merkle.h"
#include "store/audit_tree_store.h"

namespace compliance {

/// The audit worker's own connection to the database (outside the pool, since it waits on
/// notifications): it hears "audit_pending" and "audit_sealed" from every replica, tells the
/// others of its own process's commits, competes for the sealer lock, and runs the sealing,
/// reading and tree statements. Every method throws on a database error; the worker then
/// opens a new session.
class AuditLogSession {
 public:
  /// Connects, prepares the statements and listens; `on_pending` and `on_sealed` run inside
  /// Await, once per notification.
  AuditLogSession(const std::string& database_url, std::function<void()> on_pending,
                  std::function<void()> on_sealed);
  ~AuditLogSession();
  AuditLogSession(const AuditLogSession&) = delete;
  AuditLogSession& operator=(const AuditLogSession&) = delete;

  /// Takes the sealer lock if no process holds it; it is held until the session ends.
  bool TryLeadSealing();
  /// Waits up to `wait` for a notification or for `wake_fd` to turn readable (-1: none);
  /// false when neither came.
  bool Await(absl::Duration wait, int wake_fd);
  /// Sends "audit_pending": entries committed through this process wait for the sealer.
  void NotifyPending();

  /// The sequence of the newest sealed event.
  int64_t Head();
  /// Up to `limit` sealed events after `after_sequence`, ascending.
  std::vector<AuditEvent> ListAfter(int64_t after_sequence, int limit);
  /// AuditStore::SealBatch on this connection (TreeOutOfStep when the tree lags).
  int SealBatch(int limit, std::vector<AuditEvent>* sealed);
  /// AuditTreeStore::Extend on this connection.
  int ExtendTree(int limit);

  /// One transaction over the tree and its checkpoints, for the checkpointer; nothing is
  /// kept unless Commit() is called.
  class TreeWork {
   public:
    virtual ~TreeWork() = default;
    virtual int64_t Size() = 0;
    virtual std::optional<StoredCheckpoint> Latest() = 0;
    virtual std::string Root(int64_t size) = 0;
    virtual std::vector<std::string> RangeHashes(const std::vector<LeafRange>& ranges) = 0;
    virtual void Record(const StoredCheckpoint& checkpoint) = 0;
    virtual void Commit() = 0;
  };
  std::unique_ptr<TreeWork> BeginTreeWork();

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace compliance
