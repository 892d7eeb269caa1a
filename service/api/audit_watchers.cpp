#include "api/audit_watchers.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/audit_entries.h"
#include "api/audit_requests.h"
#include "api/audit_watch_stream.h"
#include "api/request_parse_errors.h"
#include "api/rpc_method.h"
#include "api/status.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/errors.h"

namespace compliance {
namespace {

// How often tokens are checked again and quiet streams poll while the worker cannot follow
// the log.
constexpr auto kTick = std::chrono::milliseconds(500);
// A revoked token ends a stream within the authenticator's cache time plus one tick, and
// api.md promises 5 s.
static_assert(kTokenCacheTtl <= absl::Milliseconds(5000 - kTick.count()),
              "a revocation must end a stream within 5 s");

const std::string& WatchMethod() { return MethodOf<v1::WatchAuditEventsRequest>().path; }

}  // namespace

AuditWatchers::AuditWatchers(ConnectionPool& pool, AuditFeed& feed, Authenticator& auth)
    : store_(pool), feed_(feed), auth_(auth) {}

AuditWatchers::~AuditWatchers() { Stop(); }

void AuditWatchers::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditWatchers::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
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
  auto stream = std::make_shared<AuditWatchStream>(static_cast<WatchStreamOwner&>(*this), context,
                                                   parsed.after_sequence());
  bool refused;
  {
    absl::MutexLock lock(&mutex_);
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
  }
  return stream.get();
}

void AuditWatchers::Sealed() {
  absl::MutexLock lock(&mutex_);
  sealed_ = true;
}

void AuditWatchers::WantTable(const std::shared_ptr<AuditWatchStream>& stream) {
  absl::MutexLock lock(&mutex_);
  if (stopping_) return;
  table_reads_.push_back(stream);
}

void AuditWatchers::Remove(AuditWatchStream* stream) {
  std::shared_ptr<AuditWatchStream> last;  // destroyed after the lock is released
  absl::MutexLock lock(&mutex_);
  auto found = streams_.find(stream);
  if (found == streams_.end()) return;
  last = std::move(found->second);
  streams_.erase(found);
}

std::vector<std::shared_ptr<AuditWatchStream>> AuditWatchers::Snapshot() {
  absl::MutexLock lock(&mutex_);
  std::vector<std::shared_ptr<AuditWatchStream>> streams;
  streams.reserve(streams_.size());
  for (const auto& [key, stream] : streams_) streams.push_back(stream);
  return streams;
}

void AuditWatchers::Run() {
  auto next_tick = std::chrono::steady_clock::now() + kTick;
  while (true) {
    bool pump_all;
    std::shared_ptr<AuditWatchStream> table_read;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.AwaitWithTimeout(absl::Condition(this, &AuditWatchers::HasWork),
                              absl::FromChrono(next_tick - std::chrono::steady_clock::now()));
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

void AuditWatchers::Serve(const std::shared_ptr<AuditWatchStream>& stream) {
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

void AuditWatchers::ReadTable(const std::shared_ptr<AuditWatchStream>& stream) {
  auto events = store_.List(stream->cursor(), "", kWatchBatch, absl::Now() + absl::Seconds(10));
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
