#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace compliance {

/// Tells caches that the database may have changed, and the audit worker that this process
/// committed. Every commit through this process bumps the generation and wakes the worker
/// (RunTransaction calls Committed); the worker bumps it for what other replicas report
/// ("audit_pending" and "audit_sealed" notifications). Caches trust it only while that
/// listener is connected: without one, writes through other processes would go unnoticed.
class ChangeSignal {
 public:
  ChangeSignal() : wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~ChangeSignal() {
    if (wake_fd_ >= 0) close(wake_fd_);
  }
  ChangeSignal(const ChangeSignal&) = delete;
  ChangeSignal& operator=(const ChangeSignal&) = delete;

  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void Changed() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  /// A transaction of this process committed: a change, and work for the audit worker.
  void Committed() {
    Changed();
    if (wake_fd_ >= 0) (void)eventfd_write(wake_fd_, 1);  // counts up; never blocks
  }
  /// Readable (poll) after Committed, until TakeCommits.
  int commits_fd() const { return wake_fd_; }
  /// Whether a commit was signalled since the last call.
  bool TakeCommits() {
    eventfd_t count = 0;
    return wake_fd_ >= 0 && eventfd_read(wake_fd_, &count) == 0 && count > 0;
  }

  bool listening() const { return listening_.load(std::memory_order_acquire); }
  /// Set by the listener; a change of state is itself a change, since notifications may
  /// have been missed while nobody listened.
  void SetListening(bool listening) {
    listening_.store(listening, std::memory_order_release);
    Changed();
  }

 private:
  const int wake_fd_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> listening_{false};
};

}  // namespace compliance
