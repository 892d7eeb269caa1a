#include "load.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace compliance::bench {
namespace {

struct ThreadFigures {
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  std::string first_error;
};

// One client thread: its own queue and its share of the calls in flight.
void DriveQueue(int slots, absl::Time measure_from, absl::Time stop_at,
                std::atomic<int64_t>& budget, bool bounded,
                const std::function<std::unique_ptr<PendingCall>()>& make_call,
                ThreadFigures& figures) {
  grpc::CompletionQueue queue;
  std::vector<std::unique_ptr<PendingCall>> calls;
  for (int i = 0; i < slots; ++i) {
    calls.push_back(make_call());
    calls.back()->started = absl::Now();
    calls.back()->Start(&queue);
  }
  int outstanding = slots;
  void* tag = nullptr;
  bool ok = false;
  while (outstanding > 0 && queue.Next(&tag, &ok)) {
    auto* call = static_cast<PendingCall*>(tag);
    const absl::Time now = absl::Now();
    bool keep_going = now < stop_at;
    if (call->started >= measure_from && now < stop_at) {
      if (bounded && budget.fetch_sub(1) <= 0) {
        keep_going = false;
      } else {
        figures.latencies_ms.push_back(absl::ToDoubleMilliseconds(now - call->started));
        if (!call->status().ok()) {
          if (figures.errors++ == 0) figures.first_error = call->status().error_message();
        }
        if (bounded && budget.load() <= 0) keep_going = false;
      }
    }
    if (keep_going) {
      call->started = now;
      call->Start(&queue);
    } else {
      --outstanding;
    }
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
}

}  // namespace

double Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<size_t>(q * (values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target, int index) {
  grpc::ChannelArguments arguments;
  arguments.SetInt("compliance.bench.channel", index);  // distinct args: a connection each
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
}

LoadResult RunClosedLoop(const LoadOptions& options,
                         const std::function<std::unique_ptr<PendingCall>(int thread)>& make_call) {
  const absl::Time begin = absl::Now();
  const absl::Time measure_from = begin + options.warmup;
  const bool bounded = options.max_calls > 0;
  // A bounded run ends when its calls are done; the duration is then only a safety limit.
  const absl::Time stop_at = measure_from + (bounded ? absl::Minutes(10) : options.duration);
  std::atomic<int64_t> budget{options.max_calls};
  std::vector<ThreadFigures> figures(options.threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    const int slots =
        options.in_flight / options.threads + (t < options.in_flight % options.threads);
    threads.emplace_back([&, t, slots] {
      DriveQueue(
          slots, measure_from, stop_at, budget, bounded, [&] { return make_call(t); }, figures[t]);
    });
  }
  for (auto& thread : threads) thread.join();
  const absl::Time end = std::min(absl::Now(), stop_at);

  LoadResult result;
  std::vector<double> latencies;
  for (auto& f : figures) {
    latencies.insert(latencies.end(), f.latencies_ms.begin(), f.latencies_ms.end());
    result.errors += f.errors;
    if (result.first_error.empty()) result.first_error = f.first_error;
  }
  result.calls = static_cast<int64_t>(latencies.size());
  result.seconds = absl::ToDoubleSeconds(end - measure_from);
  result.p50_ms = Quantile(latencies, 0.50);
  result.p99_ms = Quantile(latencies, 0.99);
  return result;
}

}  // namespace compliance::bench
