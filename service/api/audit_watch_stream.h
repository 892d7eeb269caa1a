#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "api/audit_feed.h"
#include "api/audit_mapping.h"

namespace compliance {

// Events a stream takes per read while catching up, from memory or the table; a slow reader
// holds at most this many in server memory.
inline constexpr int kWatchBatch = 500;

class AuditWatchStream;

/// What a stream needs of the watchers that own it.
class WatchStreamOwner {
 public:
  virtual ~WatchStreamOwner() = default;
  virtual const AuditFeed& feed() const = 0;
  /// Queues `stream` for a table read on the owner's thread.
  virtual void WantTable(const std::shared_ptr<AuditWatchStream>& stream) = 0;
  /// The call is over: the owner lets go of the stream.
  virtual void Remove(AuditWatchStream* stream) = 0;
};

/// One WatchAuditEvents call. `cursor_` is the newest sequence taken for writing; every event
/// is taken once, in order, from memory or from the table, never from both at once. Nothing
/// here blocks: gRPC's threads call it, and the owner's thread does the waiting.
class AuditWatchStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                               public std::enable_shared_from_this<AuditWatchStream> {
 public:
  AuditWatchStream(WatchStreamOwner& owner, grpc::CallbackServerContext* context, int64_t after)
      : owner_(owner), context_(*context), requested_after_(after), cursor_(after) {}

  const grpc::CallbackServerContext& context() const { return context_; }
  int64_t requested_after() const { return requested_after_; }

  /// Marks the replay as authorized; from now on the stream takes events. The headers go
  /// first, on their own: the client sees the stream open even before any event, and a write
  /// with the buffer hint must not carry them (gRPC holds such a batch, grpc/grpc#12975).
  void Begin();
  bool started();
  int64_t cursor();
  /// Idle: nothing written or queued, nothing asked of the table.
  bool Idle();

  /// Writes what memory holds after the cursor, or asks for a table read when memory no
  /// longer reaches back that far (unless `may_read_table` is false).
  void Pump(bool may_read_table = true);
  /// Asks for a table read now (a poll while the worker cannot follow the log).
  void Poll();
  /// Writes events read from the table after the cursor. With none, it looks at memory (a
  /// seal may have landed during the read, its wake-up skipped) but does not ask the table
  /// again: that waits for the next seal or poll.
  void Deliver(std::vector<WatchMessage> messages);
  /// Finishes with `status`, once the write in flight (if any) completes.
  void End(grpc::Status status);

  void OnSendInitialMetadataDone(bool ok) override { OnWriteDone(ok); }
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override { owner_.Remove(this); }

 private:
  /// What to do once the lock is released: start a write, finish the call, look for more
  /// to write, or nothing.
  struct Next {
    std::optional<grpc::WriteOptions> write;
    std::optional<grpc::Status> finish;
    bool pump = false;
  };

  bool ending() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return end_.has_value(); }
  void Take(std::vector<WatchMessage> messages) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  /// Moves the next pending event in flight. Every event but the last of what is pending
  /// carries the buffer hint: gRPC completes such a write at once and sends nothing until
  /// the last one, so a burst leaves in one system call rather than one per event (the hint
  /// holds at most the transport's write buffer, 64 KiB, before it sends anyway).
  Next WriteNext() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  /// With no write in flight: the status to finish with, once.
  Next FinishNow() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  /// Carries out `next`, the lock released.
  void Run(Next next);

  WatchStreamOwner& owner_;
  const grpc::CallbackServerContext& context_;
  const int64_t requested_after_;
  absl::Mutex mutex_;
  int64_t cursor_ ABSL_GUARDED_BY(mutex_);
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool table_wanted_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  std::optional<grpc::Status> end_ ABSL_GUARDED_BY(mutex_);
  std::deque<WatchMessage> pending_ ABSL_GUARDED_BY(mutex_);
  // Only the write in flight reads it, and only WriteNext (with none in flight) replaces it.
  WatchMessage in_flight_;
};

}  // namespace compliance
