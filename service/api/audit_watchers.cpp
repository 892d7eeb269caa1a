#include "api/audit_watchers.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/audit_entries.h"
#include "api/audit_requests.h"
#include "api/request_parse_errors.h"
#include "api/rpc_method.h"
#include "api/status.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/errors.h"

namespace compliance {
namespace {

// Events a stream takes per read while catching up, from memory or the table; a slow reader
// holds at most this many in server memory.
constexpr int kBatch = 500;
// How often tokens are checked again and quiet streams poll while the worker cannot follow
// the log.
constexpr auto kTick = std::chrono::milliseconds(500);
// A revoked token ends a stream within the authenticator's cache time plus one tick, and
// api.md promises 5 s.
static_assert(kTokenCacheTtl <= absl::Milliseconds(5000 - kTick.count()),
              "a revocation must end a stream within 5 s");

const std::string& WatchMethod() { return MethodOf<v1::WatchAuditEventsRequest>().path; }

}  // namespace

/// One WatchAuditEvents call. `cursor_` is the newest sequence taken for writing; every event
/// is taken once, in order, from memory or from the table, never from both at once.
class AuditWatchers::Stream final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                                    public std::enable_shared_from_this<Stream> {
 public:
  Stream(AuditWatchers& owner, grpc::CallbackServerContext* context, int64_t after)
      : owner_(owner), context_(*context), cursor_(after) {}

  const grpc::CallbackServerContext& context() const { return context_; }
  int64_t requested_after() const { return requested_after_; }
  void set_requested_after(int64_t after) { requested_after_ = after; }

  /// Marks the replay as authorized; from now on the stream takes events. The headers go
  /// first, on their own: the client sees the stream open even before any event, and a write
  /// with the buffer hint must not carry them (gRPC holds such a batch, grpc/grpc#12975).
  void Begin() {
    {
      std::lock_guard lock(mutex_);
      started_ = true;
      writing_ = true;       // the headers count as the write in flight
      table_wanted_ = true;  // and the replay as a table read: memory waits for it
    }
    StartSendInitialMetadata();
  }

  bool started() {
    std::lock_guard lock(mutex_);
    return started_;
  }

  int64_t cursor() {
    std::lock_guard lock(mutex_);
    return cursor_;
  }

  /// Idle: nothing written or queued, nothing asked of the table.
  bool Idle() {
    std::lock_guard lock(mutex_);
    return started_ && !ending() && !writing_ && pending_.empty() && !table_wanted_;
  }

  /// Writes what memory holds after the cursor, or asks for a table read when memory no
  /// longer reaches back that far (unless `may_read_table` is false).
  void Pump(bool may_read_table = true) {
    std::unique_lock lock(mutex_);
    if (!started_ || ending() || writing_ || table_wanted_) return;
    if (pending_.empty()) {
      auto recent = owner_.feed_.RecentAfter(cursor_, kBatch);
      if (!recent && !may_read_table) return;
      if (!recent) {
        table_wanted_ = true;
        lock.unlock();
        owner_.WantTable(shared_from_this());
        return;
      }
      Take(std::move(*recent));
    }
    WriteNext(lock);
  }

  /// Asks for a table read now (a poll while the worker cannot follow the log).
  void Poll() {
    {
      std::lock_guard lock(mutex_);
      if (!started_ || ending() || writing_ || table_wanted_ || !pending_.empty()) return;
      table_wanted_ = true;
    }
    owner_.WantTable(shared_from_this());
  }

  /// Writes events read from the table after the cursor. With none, it looks at memory (a
  /// seal may have landed during the read, its wake-up skipped) but does not ask the table
  /// again: that waits for the next seal or poll.
  void Deliver(std::vector<WatchMessage> messages) {
    std::unique_lock lock(mutex_);
    table_wanted_ = false;
    if (ending()) return;
    if (messages.empty()) {
      lock.unlock();
      Pump(/*may_read_table=*/false);
      return;
    }
    Take(std::move(messages));
    if (!writing_) WriteNext(lock);
  }

  /// Finishes with `status`, once the write in flight (if any) completes.
  void End(grpc::Status status) {
    std::unique_lock lock(mutex_);
    if (ending()) return;
    end_ = std::move(status);
    if (!writing_) FinishNow(lock);
  }

  void OnSendInitialMetadataDone(bool ok) override { OnWriteDone(ok); }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mutex_);
    writing_ = false;
    // A failed write means the call is over (the client went away); nobody reads the status.
    if (!ok && !end_) end_ = grpc::Status::OK;
    if (end_) {
      FinishNow(lock);
      return;
    }
    if (!pending_.empty()) {
      WriteNext(lock);
      return;
    }
    lock.unlock();
    Pump();
  }

  void OnCancel() override { End(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled")); }

  void OnDone() override { owner_.Remove(this); }

 private:
  bool ending() const { return end_.has_value(); }

  void Take(std::vector<WatchMessage> messages) {
    for (auto& message : messages) pending_.push_back(std::move(message));
    if (!pending_.empty()) cursor_ = pending_.back().sequence;
  }

  // Called with `lock` held; releases it to write. Every event but the last of what is
  // pending carries the buffer hint: gRPC completes such a write at once and sends nothing
  // until the last one, so a burst leaves in one system call rather than one per event
  // (the hint holds at most the transport's write buffer, 64 KiB, before it sends anyway).
  void WriteNext(std::unique_lock<std::mutex>& lock) {
    if (pending_.empty()) return;
    in_flight_ = std::move(pending_.front());
    pending_.pop_front();
    writing_ = true;
    grpc::WriteOptions options;
    if (!pending_.empty()) options.set_buffer_hint();
    lock.unlock();
    StartWrite(&in_flight_.bytes, options);
  }

  // Called with `lock` held and no write in flight; releases it.
  void FinishNow(std::unique_lock<std::mutex>& lock) {
    if (finished_) return;
    finished_ = true;
    const grpc::Status status = *end_;
    pending_.clear();
    lock.unlock();
    Finish(status);
  }

  AuditWatchers& owner_;
  const grpc::CallbackServerContext& context_;
  int64_t requested_after_ = 0;
  std::mutex mutex_;
  int64_t cursor_;
  bool started_ = false;
  bool writing_ = false;
  bool table_wanted_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> end_;
  std::deque<WatchMessage> pending_;
  WatchMessage in_flight_;
};

AuditWatchers::AuditWatchers(ConnectionPool& pool, AuditFeed& feed, Authenticator& auth)
    : store_(pool), feed_(feed), auth_(auth) {}

AuditWatchers::~AuditWatchers() { Stop(); }

void AuditWatchers::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditWatchers::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (const auto& stream : Snapshot()) {
    stream->End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                             "server shutting down; reconnect with after_sequence to resume"));
  }
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* AuditWatchers::Open(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  v1::WatchAuditEventsRequest parsed;
  grpc::ByteBuffer copy(*request);
  const grpc::Status parse =
      grpc::SerializationTraits<v1::WatchAuditEventsRequest>::Deserialize(&copy, &parsed);
  auto stream = std::make_shared<Stream>(*this, context, parsed.after_sequence());
  stream->set_requested_after(parsed.after_sequence());
  bool refused;
  {
    std::lock_guard lock(mutex_);
    streams_[stream.get()] = stream;
    refused = stopping_;
    if (!refused && parse.ok()) table_reads_.push_back(stream);
  }
  if (refused) {
    stream->End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                             "server shutting down; reconnect with after_sequence to resume"));
  } else if (!parse.ok()) {
    stream->End(ToGrpcStatus(RequestParseError(
        absl::StrCat("/", v1::AuditService::service_full_name(), "/WatchAuditEvents"))));
  } else {
    wake_.notify_all();
  }
  return stream.get();
}

void AuditWatchers::Sealed() {
  {
    std::lock_guard lock(mutex_);
    sealed_ = true;
  }
  wake_.notify_all();
}

void AuditWatchers::WantTable(const std::shared_ptr<Stream>& stream) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    table_reads_.push_back(stream);
  }
  wake_.notify_all();
}

void AuditWatchers::Remove(Stream* stream) {
  std::shared_ptr<Stream> last;  // destroyed after the lock is released
  std::lock_guard lock(mutex_);
  auto found = streams_.find(stream);
  if (found == streams_.end()) return;
  last = std::move(found->second);
  streams_.erase(found);
}

std::vector<std::shared_ptr<AuditWatchers::Stream>> AuditWatchers::Snapshot() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Stream>> streams;
  streams.reserve(streams_.size());
  for (const auto& [key, stream] : streams_) streams.push_back(stream);
  return streams;
}

void AuditWatchers::Run() {
  auto next_tick = std::chrono::steady_clock::now() + kTick;
  while (true) {
    bool pump_all;
    std::shared_ptr<Stream> table_read;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_tick,
                       [this] { return stopping_ || sealed_ || !table_reads_.empty(); });
      if (stopping_) return;
      pump_all = std::exchange(sealed_, false);
      if (!table_reads_.empty()) {
        table_read = std::move(table_reads_.front());
        table_reads_.pop_front();
      }
    }
    if (pump_all) {
      for (const auto& stream : Snapshot()) stream->Pump();
    }
    if (table_read) {
      if (table_read->started()) {
        ReadTable(table_read);
      } else {
        Serve(table_read);
      }
    }
    if (std::chrono::steady_clock::now() >= next_tick) {
      Tick();
      next_tick = std::chrono::steady_clock::now() + kTick;
    }
  }
}

void AuditWatchers::Serve(const std::shared_ptr<Stream>& stream) {
  if (auto caller = auth_.Authorize(stream->context(), WatchMethod()); !caller.ok()) {
    stream->End(ToGrpcStatus(caller.status()));
    return;
  }
  v1::WatchAuditEventsRequest request;
  request.set_after_sequence(stream->requested_after());
  if (auto s = CheckWatchAuditEvents(request); !s.ok()) {
    stream->End(ToGrpcStatus(s));
    return;
  }
  stream->Begin();
  // The replay comes from the table, the truth; the live tail from the worker's memory.
  ReadTable(stream);
}

void AuditWatchers::ReadTable(const std::shared_ptr<Stream>& stream) {
  auto events = store_.List(stream->cursor(), "", kBatch, absl::Now() + absl::Seconds(10));
  if (!events.ok()) {
    stream->End(ToGrpcStatus(events.status()));
    return;
  }
  std::vector<WatchMessage> messages;
  messages.reserve(events->size());
  for (const auto& event : *events) messages.push_back(ToWatchMessage(event));
  stream->Deliver(std::move(messages));
}

void AuditWatchers::Tick() {
  const bool following = feed_.following();
  for (const auto& stream : Snapshot()) {
    if (!stream->started()) continue;
    // A stream outlives tokens: a revoked one ends it within the authenticator's cache time.
    if (auto caller = auth_.Authorize(stream->context(), WatchMethod()); !caller.ok()) {
      stream->End(ToGrpcStatus(caller.status()));
      continue;
    }
    if (!following && stream->Idle()) stream->Poll();
  }
}

}  // namespace compliance
