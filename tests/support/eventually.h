#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace compliance::testing {

/// Polls `condition` until it holds, every `interval`; false if `timeout` passes first. The
/// timeout is generous on purpose: it bounds a wait for an event and measures nothing.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30),
                       std::chrono::milliseconds interval = std::chrono::milliseconds(50)) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace compliance::testing
