#include "api/blocking_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace compliance::testing {
namespace {

TEST(BlockingExecutor, RunsWorkOnThreadsOfItsOwn) {
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> done{0};
  {
    BlockingExecutor executor(4);
    for (int i = 0; i < 100; ++i) {
      executor.Run([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
        ++done;
      });
    }
  }
  EXPECT_EQ(done, 100);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  EXPECT_GT(threads.size(), 1u);
  EXPECT_LE(threads.size(), 4u);
}

// Queued calls are finished before the executor (and so the server owning them) goes away.
TEST(BlockingExecutor, DestructionRunsWhatIsStillQueued) {
  std::vector<int> order;
  {
    BlockingExecutor executor(1);
    for (int i = 0; i < 50; ++i) executor.Run([&order, i] { order.push_back(i); });
  }
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);  // one thread: queue order
}

}  // namespace
}  // namespace compliance::testing
