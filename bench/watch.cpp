#include "watch.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "load.h"

namespace compliance::bench {
namespace {

using compliance::v1::AuditService;
using compliance::v1::WatchAuditEventsRequest;
using compliance::v1::WatchAuditEventsResponse;

// One stream; only one operation of it is ever outstanding, so the stream is its own tag.
struct Stream {
  enum class Step { kStarting, kReading, kFinishing, kDone } step = Step::kStarting;
  grpc::ClientContext context;
  WatchAuditEventsResponse response;
  int64_t last_sequence = 0;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncReader<WatchAuditEventsResponse>> reader;
};

absl::Time EventTime(const WatchAuditEventsResponse& response) {
  const auto& time = response.audit_event().time();
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

}  // namespace

WatchResult MeasureWatchLag(const std::string& target, const std::string& token, int watchers,
                            int64_t after_sequence, const std::function<int64_t()>& produce,
                            double settle_seconds) {
  grpc::CompletionQueue queue;
  std::vector<std::unique_ptr<AuditService::Stub>> stubs;
  std::vector<std::unique_ptr<Stream>> streams;
  WatchAuditEventsRequest request;
  request.set_after_sequence(after_sequence);
  for (int i = 0; i < watchers; ++i) {
    stubs.push_back(AuditService::NewStub(OwnChannel(target, i % 4)));
    auto stream = std::make_unique<Stream>();
    stream->last_sequence = after_sequence;
    stream->context.AddMetadata("authorization", "Bearer " + token);
    stream->reader = stubs.back()->PrepareAsyncWatchAuditEvents(&stream->context, request, &queue);
    stream->reader->StartCall(stream.get());
    streams.push_back(std::move(stream));
  }

  std::vector<double> lags_ms;
  int64_t out_of_order = 0;  // a gap, a repeat or a step back: the feed promises none
  int finished = 0;
  bool cancelled = false;
  absl::Time stop_at = absl::InfiniteFuture();
  std::atomic<int64_t> produced{0};
  std::atomic<bool> produced_all{false};
  std::thread producer([&] {
    produced = produce();
    produced_all = true;
  });
  bool producer_joined = false;
  while (finished < watchers) {
    void* tag = nullptr;
    bool ok = false;
    const auto next = queue.AsyncNext(
        &tag, &ok, std::chrono::system_clock::now() + std::chrono::milliseconds(100));
    const absl::Time now = absl::Now();
    if (next == grpc::CompletionQueue::SHUTDOWN) break;
    if (next == grpc::CompletionQueue::GOT_EVENT) {
      auto* stream = static_cast<Stream*>(tag);
      if (stream->step == Stream::Step::kReading && ok) {
        lags_ms.push_back(absl::ToDoubleMilliseconds(now - EventTime(stream->response)));
        const int64_t sequence = stream->response.audit_event().sequence();
        if (sequence != stream->last_sequence + 1) ++out_of_order;
        stream->last_sequence = sequence;
      }
      if (stream->step == Stream::Step::kFinishing) {
        stream->step = Stream::Step::kDone;
        ++finished;
      } else if (ok) {
        stream->step = Stream::Step::kReading;
        stream->reader->Read(&stream->response, stream);
      } else {
        stream->step = Stream::Step::kFinishing;
        stream->reader->Finish(&stream->status, stream);
      }
    }
    if (!producer_joined && produced_all) {
      producer.join();
      producer_joined = true;
      stop_at = now + absl::Milliseconds(settle_seconds * 1000);
    }
    if (!cancelled && now >= stop_at) {
      for (auto& stream : streams) stream->context.TryCancel();
      cancelled = true;
    }
  }
  if (!producer_joined) producer.join();
  queue.Shutdown();
  void* tag;
  bool ok;
  while (queue.Next(&tag, &ok)) {
  }

  WatchResult result;
  result.deliveries = static_cast<int64_t>(lags_ms.size());
  result.expected = produced.load() * watchers;
  result.out_of_order = out_of_order;
  result.p50_ms = Quantile(lags_ms, 0.50);
  result.p99_ms = Quantile(lags_ms, 0.99);
  result.max_ms = lags_ms.empty() ? 0 : lags_ms.back();
  return result;
}

}  // namespace compliance::bench
