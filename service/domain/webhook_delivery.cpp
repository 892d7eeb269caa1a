#include "domain/webhook_delivery.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace compliance {

absl::Duration RetryDelay(const RetryPolicy& policy, int failed_attempts,
                          std::optional<absl::Duration> retry_after, double jitter) {
  // 2^30 seconds is far past any ceiling: the shift stops there instead of overflowing.
  const int doublings = std::clamp(failed_attempts - 1, 0, 30);
  const absl::Duration full =
      std::min(policy.first_delay * (int64_t{1} << doublings), policy.max_delay);
  const absl::Duration delay = full / 2 + (full / 2) * std::clamp(jitter, 0.0, 1.0);
  return retry_after ? std::max(delay, *retry_after) : delay;
}

std::optional<absl::Duration> ParseRetryAfter(absl::string_view value, absl::Time now) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    int64_t seconds = 0;
    if (!absl::SimpleAtoi(value, &seconds)) return std::nullopt;
    return absl::Seconds(seconds);
  }
  absl::Time when;
  std::string error;
  if (!absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", value, absl::UTCTimeZone(), &when, &error)) {
    return std::nullopt;
  }
  return std::max(when - now, absl::ZeroDuration());
}

FailureDecision DecideFailure(const RetryPolicy& policy, const FailureRun& run,
                              const AttemptOutcome& outcome, absl::Time now, double jitter) {
  FailureDecision decision;
  decision.failed_attempts = run.failed_attempts + 1;
  decision.first_failure_time = run.first_failure_time.value_or(now);
  decision.next_attempt_time =
      now + RetryDelay(policy, decision.failed_attempts, outcome.retry_after, jitter);
  const absl::Duration failing = now - decision.first_failure_time;
  decision.pause = failing >= policy.pause_after;
  if (decision.pause) {
    decision.pause_reason =
        absl::StrCat(decision.failed_attempts, " deliveries failed over ",
                     absl::FormatDuration(failing), " (the limit is ",
                     absl::FormatDuration(policy.pause_after), "); last error: ", outcome.error);
  }
  return decision;
}

}  // namespace compliance
