#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace compliance::bench {

/// What the watchers saw.
struct WatchResult {
  int64_t deliveries = 0;    ///< events received, summed over watchers
  int64_t expected = 0;      ///< events sealed during the run times watchers
  int64_t out_of_order = 0;  ///< deliveries not exactly one after the stream's previous one
  double p50_ms = 0;         ///< delivery lag: receipt time minus the event's time
  double p99_ms = 0;
  double max_ms = 0;
};

/// Opens `watchers` WatchAuditEvents streams after `after_sequence`, runs `produce` (which
/// makes the events and returns when done), keeps reading for `settle_seconds`, and measures
/// how late each event reached each watcher.
WatchResult MeasureWatchLag(const std::string& target, const std::string& token, int watchers,
                            int64_t after_sequence, const std::function<int64_t()>& produce,
                            double settle_seconds);

}  // namespace compliance::bench
