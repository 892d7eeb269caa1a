#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace compliance {

/// A few threads of our own for the work that a callback-API handler must not do on gRPC's
/// threads: anything that may wait on the database. Work runs in the order it was queued;
/// the destructor runs what is still queued, then joins, so that every queued call is
/// finished before the server that owns the calls goes away.
class BlockingExecutor {
 public:
  explicit BlockingExecutor(int threads);
  ~BlockingExecutor();
  BlockingExecutor(const BlockingExecutor&) = delete;
  BlockingExecutor& operator=(const BlockingExecutor&) = delete;

  void Run(std::function<void()> work);

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace compliance
