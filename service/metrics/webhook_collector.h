#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/webhook_dispatcher.h"
#include "store/webhook_delivery_store.h"

namespace compliance {

/// The webhook metrics: compliance_webhook_deliveries_total{result} (this process's attempts,
/// every result exported from the start), and, per subscription from the database (the same
/// on every replica, cached like the compliance gauges), compliance_webhook_lag_events{webhook}
/// and compliance_webhook_paused{webhook}.
class WebhookCollector final : public prometheus::Collectable {
 public:
  WebhookCollector(ConnectionPool& pool, const WebhookAttemptCounts& counts, absl::Duration cache)
      : store_(pool, "metrics"), counts_(counts), cache_(cache) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  /// The subscriptions' backlogs, at most `cache_` old; the last good ones while the database
  /// does not answer.
  std::vector<WebhookLag> Lags() const;

  mutable WebhookDeliveryStore store_;  // reads only: no lease is held under its name
  const WebhookAttemptCounts& counts_;
  const absl::Duration cache_;
  mutable absl::Mutex mutex_;
  mutable std::vector<WebhookLag> lags_ ABSL_GUARDED_BY(mutex_);
  mutable absl::Time lags_time_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
};

}  // namespace compliance
