#include "api/blocking_executor.h"

namespace compliance {

BlockingExecutor::BlockingExecutor(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

BlockingExecutor::~BlockingExecutor() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  for (auto& thread : threads_) thread.join();
}

void BlockingExecutor::Run(std::function<void()> work) {
  absl::MutexLock lock(&mutex_);
  queue_.push_back(std::move(work));
}

void BlockingExecutor::Work() {
  while (true) {
    std::function<void()> work;
    {
      absl::MutexLock lock(&mutex_, absl::Condition(this, &BlockingExecutor::HasWorkOrStops));
      if (queue_.empty()) return;  // stopping, and nothing left to run
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work();
  }
}

}  // namespace compliance
