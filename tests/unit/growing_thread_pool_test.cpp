#include "http/growing_thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "absl/synchronization/notification.h"

namespace compliance {
namespace {

// Tasks that hold their thread until released, so the test decides how many run at once.
class HeldTasks {
 public:
  std::function<void()> Task() {
    return [this] {
      started_.fetch_add(1);
      release_.WaitForNotification();
      finished_.fetch_add(1);
    };
  }
  void WaitStarted(int count) {
    while (started_.load() < count) std::this_thread::yield();
  }
  void Release() { release_.Notify(); }
  int started() const { return started_.load(); }
  int finished() const { return finished_.load(); }

 private:
  std::atomic<int> started_{0}, finished_{0};
  absl::Notification release_;
};

TEST(GrowingThreadPool, StartsNoThreadUntilATaskComes) {
  GrowingThreadPool pool(64);
  EXPECT_EQ(pool.threads(), 0u);
}

TEST(GrowingThreadPool, StartsAThreadForEachBusyTaskUpToTheMaximum) {
  GrowingThreadPool pool(3);
  HeldTasks held;
  for (int i = 0; i < 5; ++i) pool.enqueue(held.Task());
  held.WaitStarted(3);
  EXPECT_EQ(pool.threads(), 3u);
  EXPECT_EQ(held.started(), 3);  // the other two wait for a thread
  held.Release();
  pool.shutdown();
  EXPECT_EQ(held.finished(), 5);  // queued tasks still run before the threads end
  EXPECT_EQ(pool.threads(), 0u);
}

TEST(GrowingThreadPool, AnIdleThreadTakesTheNextTaskInsteadOfANewOne) {
  GrowingThreadPool pool(64);
  std::mutex mutex;
  std::set<std::thread::id> ran_on;
  for (int i = 0; i < 20; ++i) {
    absl::Notification done;
    pool.enqueue([&] {
      std::lock_guard<std::mutex> lock(mutex);
      ran_on.insert(std::this_thread::get_id());
      done.Notify();
    });
    done.WaitForNotification();
    // The next comes once the thread waits again (until then it counts as busy).
    while (pool.idle_threads() < pool.threads()) std::this_thread::yield();
  }
  EXPECT_EQ(pool.threads(), 1u);
  EXPECT_EQ(ran_on.size(), 1u);
  pool.shutdown();
}

}  // namespace
}  // namespace compliance
