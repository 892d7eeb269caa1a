#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <map>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "api/audit_feed.h"
#include "api/audit_watch_stream.h"
#include "api/authenticator.h"
#include "store/audit_store.h"

namespace compliance {

/// The streams of WatchAuditEvents, on gRPC's callback API: no thread per watcher. Each
/// stream writes one event at a time (gRPC's flow control paces a slow reader, so it holds
/// one batch at most) and takes the next ones from the feed's memory the moment a
/// write completes or a seal lands. Everything that blocks — authorizing, reading the table
/// for a replay or when memory does not reach back, polling while the worker cannot follow
/// the log — runs on this class's own thread, never on gRPC's.
class AuditWatchers final : private WatchStreamOwner {
 public:
  AuditWatchers(ConnectionPool& pool, AuditFeed& feed, Authenticator& auth);
  ~AuditWatchers() override;

  void Start();
  /// Ends every stream with UNAVAILABLE (clients resume with after_sequence, on another
  /// replica while this one drains) and refuses new ones the same way.
  void Stop();

  /// The reactor of one WatchAuditEvents call; `request` is a WatchAuditEventsRequest.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Open(grpc::CallbackServerContext* context,
                                                   const grpc::ByteBuffer* request);

  /// The worker holds newer events: every idle stream takes them (the worker's callback).
  void Sealed();

 private:
  const AuditFeed& feed() const override { return feed_; }
  void WantTable(const std::shared_ptr<AuditWatchStream>& stream) override;
  void Remove(AuditWatchStream* stream) override;

  void Run();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return stopping_ || sealed_ || !table_reads_.empty();
  }
  /// The first step of a stream: authorize, validate, then replay.
  void Serve(const std::shared_ptr<AuditWatchStream>& stream);
  void ReadTable(const std::shared_ptr<AuditWatchStream>& stream);
  /// Re-authorizes every stream (a revoked token ends its streams) and, while the worker
  /// cannot follow the log, polls the table for quiet ones.
  void Tick();
  std::vector<std::shared_ptr<AuditWatchStream>> Snapshot();

  AuditStore store_;
  AuditFeed& feed_;
  Authenticator& auth_;
  absl::Mutex mutex_;
  std::map<AuditWatchStream*, std::shared_ptr<AuditWatchStream>> streams_ ABSL_GUARDED_BY(mutex_);
  std::deque<std::shared_ptr<AuditWatchStream>> table_reads_ ABSL_GUARDED_BY(mutex_);
  // The worker holds newer events: pump every stream.
  bool sealed_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace compliance
