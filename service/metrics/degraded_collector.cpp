#include "metrics/degraded_collector.h"

#include <string>

namespace compliance {

std::vector<prometheus::MetricFamily> DegradedCollector::Collect() const {
  prometheus::MetricFamily family{
      "compliance_degraded_total",
      "Times the server went on in a lesser way instead of failing, by path.",
      prometheus::MetricType::Counter,
      {}};
  for (size_t i = 0; i < kDegradedPathNames.size(); ++i) {
    prometheus::ClientMetric metric;
    metric.label.push_back({"path", std::string(kDegradedPathNames[i])});
    metric.counter.value = static_cast<double>(counts_.Of(static_cast<DegradedPath>(i)));
    family.metric.push_back(std::move(metric));
  }
  return {std::move(family)};
}

}  // namespace compliance
