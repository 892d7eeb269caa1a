#pragma once

#include <atomic>

#include "domain/clock.h"

namespace compliance::testing {

/// A clock the test sets by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_micros_(absl::ToUnixMicros(now)) {}
  absl::Time Now() const override { return absl::FromUnixMicros(now_micros_.load()); }
  void Set(absl::Time now) { now_micros_ = absl::ToUnixMicros(now); }
  void Advance(absl::Duration by) { Set(Now() + by); }

 private:
  std::atomic<int64_t> now_micros_;
};

}  // namespace compliance::testing
