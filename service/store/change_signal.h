#pragma once

#include <atomic>
#include <cstdint>

namespace compliance {

/// Tells caches that the database may have changed. Every commit through this process bumps
/// the generation (RunTransaction does), and so does a listener for the notifications that
/// every replica's mutations send at commit. Caches trust it only while such a listener is
/// connected: without one, writes through other processes would go unnoticed.
class ChangeSignal {
 public:
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void Changed() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  bool listening() const { return listening_.load(std::memory_order_acquire); }
  /// Set by the listener; a change of state is itself a change, since notifications may
  /// have been missed while nobody listened.
  void SetListening(bool listening) {
    listening_.store(listening, std::memory_order_release);
    Changed();
  }

 private:
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> listening_{false};
};

}  // namespace compliance
