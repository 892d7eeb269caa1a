#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "domain/degraded_counts.h"

namespace compliance {

/// compliance_degraded_total{path}: every DegradedPath, zeros included, so that a rate()
/// over it exists before the first degradation.
class DegradedCollector final : public prometheus::Collectable {
 public:
  explicit DegradedCollector(const DegradedCounts& counts) : counts_(counts) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const DegradedCounts& counts_;
};

}  // namespace compliance
