#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance {

/// How failed deliveries are retried and when a subscription gives up (server flags).
struct RetryPolicy {
  absl::Duration first_delay = absl::Seconds(1);  ///< after the first failure, before jitter
  absl::Duration max_delay = absl::Minutes(10);   ///< the backoff's ceiling
  absl::Duration pause_after = absl::Hours(24);   ///< failing this long pauses the subscription
};

/// What one attempt came to, as the sender saw it.
struct AttemptOutcome {
  bool delivered = false;  ///< the receiver answered 2xx
  std::string error;       ///< otherwise: "HTTP 500", "timeout", "connection refused" …
  std::optional<absl::Duration> retry_after;  ///< the receiver's Retry-After, when it sent one
};

/// A subscription's run of failures before an attempt.
struct FailureRun {
  int failed_attempts = 0;
  std::optional<absl::Time> first_failure_time;
};

/// What follows a failed attempt.
struct FailureDecision {
  int failed_attempts = 0;
  absl::Time first_failure_time;
  absl::Time next_attempt_time;
  bool pause = false;
  std::string pause_reason;  ///< when pausing: why, in words, with the last error
};

/// The wait before the next attempt after `failed_attempts` (≥ 1) failures in a row:
/// exponential (first_delay · 2^(n-1), at most max_delay) with equal jitter (half the delay
/// fixed, half scaled by `jitter` in [0, 1)), and never shorter than the receiver's
/// Retry-After.
absl::Duration RetryDelay(const RetryPolicy& policy, int failed_attempts,
                          std::optional<absl::Duration> retry_after, double jitter);

/// A Retry-After header's wait: delta-seconds or an HTTP-date (RFC 9110 10.2.3), counted from
/// `now` (a date in the past waits nothing); nullopt when it is neither.
std::optional<absl::Duration> ParseRetryAfter(absl::string_view value, absl::Time now);

/// Decides what follows a failed attempt at `now`: the run grows by one, the next attempt is
/// RetryDelay away, and the subscription pauses once its failures span policy.pause_after.
FailureDecision DecideFailure(const RetryPolicy& policy, const FailureRun& run,
                              const AttemptOutcome& outcome, absl::Time now, double jitter);

}  // namespace compliance
