#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace compliance {

/// Source of the current time; injected so time-dependent rules are tested at exact instants.
class Clock {
 public:
  virtual ~Clock() = default;
  /// The current instant.
  virtual absl::Time Now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

/// Clock skew tolerated on client-supplied times ("not in the future").
inline constexpr absl::Duration kClockSkew = absl::Seconds(5);

}  // namespace compliance
