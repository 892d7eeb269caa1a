#include "http/growing_thread_pool.h"

#include <utility>

namespace compliance {

void GrowingThreadPool::enqueue(std::function<void()> task) {
  absl::MutexLock lock(&mutex_);
  tasks_.push_back(std::move(task));
  // A thread more only when every started one is busy: an idle one takes this task. None
  // after the shutdown, which has joined the threads it found.
  if (!stopping_ && idle_ < tasks_.size() && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { Work(); });
  }
}

void GrowingThreadPool::shutdown() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (auto& thread : threads) thread.join();
}

size_t GrowingThreadPool::threads() {
  absl::MutexLock lock(&mutex_);
  return threads_.size();
}

size_t GrowingThreadPool::idle_threads() {
  absl::MutexLock lock(&mutex_);
  return idle_;
}

void GrowingThreadPool::Work() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mutex_);
      ++idle_;
      const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return stopping_ || !tasks_.empty();
      };
      mutex_.Await(absl::Condition(&ready));
      --idle_;
      // Tasks queued before the shutdown still run.
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace compliance
