#include "metrics/webhook_collector.h"

#include <string>
#include <utility>

namespace compliance {
namespace {

constexpr absl::Duration kQueryTimeout = absl::Milliseconds(750);

prometheus::ClientMetric Labelled(const char* name, const std::string& value) {
  prometheus::ClientMetric metric;
  metric.label.push_back({name, value});
  return metric;
}

prometheus::MetricFamily Deliveries(const WebhookAttemptCounts& counts) {
  prometheus::MetricFamily family{"compliance_webhook_deliveries_total",
                                  "Webhook delivery attempts of this server process, by result: "
                                  "delivered (2xx), failed (another answer), error (no answer).",
                                  prometheus::MetricType::Counter,
                                  {}};
  const std::pair<const char*, const std::atomic<uint64_t>*> results[] = {
      {"delivered", &counts.delivered}, {"failed", &counts.failed}, {"error", &counts.error}};
  for (const auto& [result, count] : results) {
    auto metric = Labelled("result", result);
    metric.counter.value = static_cast<double>(count->load(std::memory_order_relaxed));
    family.metric.push_back(std::move(metric));
  }
  return family;
}

}  // namespace

std::vector<WebhookLag> WebhookCollector::Lags() const {
  absl::MutexLock lock(&mutex_);
  if (absl::Now() - lags_time_ >= cache_) {
    auto lags = store_.Lags(absl::Now() + kQueryTimeout);
    if (lags.ok()) {
      lags_ = *std::move(lags);
      lags_time_ = absl::Now();
    }
  }
  return lags_;
}

std::vector<prometheus::MetricFamily> WebhookCollector::Collect() const {
  prometheus::MetricFamily lag{"compliance_webhook_lag_events",
                               "Sealed audit events after a webhook subscription's cursor.",
                               prometheus::MetricType::Gauge,
                               {}};
  prometheus::MetricFamily paused{"compliance_webhook_paused",
                                  "1 while a webhook subscription is paused after failures.",
                                  prometheus::MetricType::Gauge,
                                  {}};
  for (const auto& subscription : Lags()) {
    auto events = Labelled("webhook", subscription.id);
    events.gauge.value = static_cast<double>(subscription.events);
    lag.metric.push_back(std::move(events));
    auto state = Labelled("webhook", subscription.id);
    state.gauge.value = subscription.state == WebhookState::kPaused ? 1 : 0;
    paused.metric.push_back(std::move(state));
  }
  return {Deliveries(counts_), std::move(lag), std::move(paused)};
}

}  // namespace compliance
