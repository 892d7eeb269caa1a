#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/clock.h"
#include "store/connection_pool.h"
#include "store/status_store.h"

namespace compliance {

/// Compliance state as Prometheus gauges, computed from PostgreSQL at scrape time: one series
/// per catalog requirement (zeros included), the readiness score per clause, delivery time
/// per evidence source, plus pool and scrape-cost figures. The snapshot is cached for
/// `cache_ttl` so that a burst of scrapers costs one query; when the database does not answer
/// within `query_timeout` the scrape still succeeds, with compliance_metrics_up 0 and no
/// compliance figures.
class ComplianceCollector final : public prometheus::Collectable {
 public:
  ComplianceCollector(StatusStore& store, const ConnectionPool& pool, const Clock& clock,
                      std::string version, absl::Duration cache_ttl, absl::Duration query_timeout);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  /// The cached snapshot, refreshed when stale; nullopt when the database failed.
  std::optional<ComplianceSnapshot> Current(absl::Time now) const;

  StatusStore& store_;
  const ConnectionPool& pool_;
  const Clock& clock_;
  const std::string version_;
  const absl::Duration cache_ttl_;
  const absl::Duration query_timeout_;

  mutable absl::Mutex mutex_;  // one refresh at a time; other scrapers wait for its result
  mutable std::optional<ComplianceSnapshot> cached_ ABSL_GUARDED_BY(mutex_);
  mutable absl::Time cached_at_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  mutable double last_query_seconds_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace compliance
