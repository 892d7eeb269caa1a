#pragma once

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace compliance {

/// The REST listener's event streams, each a task that holds its thread for the stream's life,
/// on threads started as tasks need them, up to `max_threads`, instead of all at start: an
/// idle server keeps none of the 64 it may use (1.3 MiB of its idle RSS, bench/README.md). A
/// thread, once started, stays for the next task. When all `max_threads` are busy, tasks wait
/// in order.
class GrowingThreadPool final {
 public:
  explicit GrowingThreadPool(size_t max_threads) : max_threads_(max_threads) {}
  GrowingThreadPool(const GrowingThreadPool&) = delete;
  GrowingThreadPool& operator=(const GrowingThreadPool&) = delete;
  ~GrowingThreadPool() { shutdown(); }

  void enqueue(std::function<void()> task);
  /// Runs the tasks still queued, then ends and joins every thread.
  void shutdown();

  /// Threads started so far, and those of them waiting for a task.
  size_t threads();
  size_t idle_threads();

 private:
  void Work();

  const size_t max_threads_;
  absl::Mutex mutex_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mutex_);
  size_t idle_ ABSL_GUARDED_BY(mutex_) = 0;  // threads waiting for a task
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace compliance
