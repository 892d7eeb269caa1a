#pragma once

#include "scenarios.h"

namespace compliance::bench {

/// How long the soak runs, and what it must show.
struct SoakOptions {
  double seconds = 600;
  double warmup = 60;    ///< RSS at the end of the warm-up is the baseline of the growth
  double interval = 30;  ///< seconds between progress lines
  double max_growth_percent = 10;
  int watchers = 4;
};

/// Runs mixed load against the server for `options.seconds`: reads, creates (with retried
/// request ids that must come back deduplicated), batches, action completions of recurring
/// actions and cancellations of their successors, WatchAuditEvents streams and /metrics
/// scrapes. Prints a line of progress each interval and a summary; returns 0 when no call
/// failed and RSS grew less than `max_growth_percent` after the warm-up, 1 otherwise.
int RunSoak(const Target& target, const SoakOptions& options);

}  // namespace compliance::bench
