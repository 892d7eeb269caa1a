#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "api/audit_feed.h"
#include "api/authenticator.h"
#include "store/audit_store.h"

namespace compliance {

/// The streams of WatchAuditEvents, on gRPC's callback API: no thread per watcher. Each
/// stream writes one event at a time (gRPC's flow control paces a slow reader, so it holds
/// one batch at most) and takes the next ones from the feed's memory the moment a
/// write completes or a seal lands. Everything that blocks — authorizing, reading the table
/// for a replay or when memory does not reach back, polling while the worker cannot follow
/// the log — runs on this class's own thread, never on gRPC's.
class AuditWatchers {
 public:
  AuditWatchers(ConnectionPool& pool, AuditFeed& feed, Authenticator& auth);
  ~AuditWatchers();

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
  class Stream;

  void Run();
  /// Queues `stream` for a table read on this class's thread.
  void WantTable(const std::shared_ptr<Stream>& stream);
  /// The first step of a stream: authorize, validate, then replay.
  void Serve(const std::shared_ptr<Stream>& stream);
  void ReadTable(const std::shared_ptr<Stream>& stream);
  /// Re-authorizes every stream (a revoked token ends its streams) and, while the worker
  /// cannot follow the log, polls the table for quiet ones.
  void Tick();
  void Remove(Stream* stream);
  std::vector<std::shared_ptr<Stream>> Snapshot();

  AuditStore store_;
  AuditFeed& feed_;
  Authenticator& auth_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<Stream*, std::shared_ptr<Stream>> streams_;
  std::deque<std::shared_ptr<Stream>> table_reads_;
  bool sealed_ = false;  // the worker holds newer events: pump every stream
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace compliance
