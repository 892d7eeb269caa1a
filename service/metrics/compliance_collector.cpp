#include "metrics/compliance_collector.h"

#include <map>

#include "absl/strings/ascii.h"

namespace compliance {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr const char* kConformityLabels[] = {"not_assessed", "nonconforming",
                                             "partially_conforming", "conforming"};

MetricFamily Gauge(const std::string& name, const std::string& help) {
  return MetricFamily{name, help, MetricType::Gauge, {}};
}

void Add(MetricFamily& family, std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

double Seconds(absl::Time time) { return absl::ToDoubleSeconds(time - absl::UnixEpoch()); }

std::vector<ClientMetric::Label> RequirementLabels(const Requirement& r) {
  return {{"framework", r.key.framework}, {"clause", r.clause}, {"requirement", r.key.id}};
}

void AddRequirementFamilies(const ComplianceSnapshot& snapshot, absl::Time now,
                            std::vector<MetricFamily>& out) {
  auto open = Gauge("compliance_leadership_actions_open", "OPEN leadership actions.");
  auto overdue = Gauge("compliance_leadership_actions_overdue",
                       "OPEN leadership actions past their due time.");
  auto oldest = Gauge("compliance_leadership_action_oldest_open_due_timestamp_seconds",
                      "Due time of the oldest OPEN leadership action (only where one exists).");
  auto next_review = Gauge("compliance_requirement_next_review_timestamp_seconds",
                           "When the next leadership review of the requirement is due.");
  auto last_review = Gauge("compliance_requirement_last_review_timestamp_seconds",
                           "When the requirement was last reviewed; 0 when never.");
  auto conformity = Gauge("compliance_requirement_conformity",
                          "1 for the requirement's current conformity, 0 for the others.");
  auto valid = Gauge("compliance_evidence_valid", "ACTIVE, unexpired evidence records.");
  auto expired = Gauge("compliance_evidence_expired", "ACTIVE evidence records past expiry.");
  auto score = Gauge("compliance_readiness_score",
                     "Audit-ready requirements divided by all requirements of the clause.");

  std::map<std::pair<std::string, std::string>, std::vector<RequirementStatus>> by_clause;
  for (const auto& status : snapshot.requirements) {
    const Requirement& r = status.requirement;
    const auto labels = RequirementLabels(r);
    Add(open, labels, r.open_action_count);
    Add(overdue, labels, r.overdue_action_count);
    if (status.oldest_open_due) Add(oldest, labels, Seconds(*status.oldest_open_due));
    Add(next_review, labels, Seconds(NextReviewTime(r)));
    Add(last_review, labels, r.last_review_time ? Seconds(*r.last_review_time) : 0);
    for (int value = 1; value <= 4; ++value) {
      auto with_value = labels;
      with_value.push_back({"conformity", kConformityLabels[value - 1]});
      Add(conformity, with_value, static_cast<int>(r.conformity) == value ? 1 : 0);
    }
    Add(valid, labels, r.valid_evidence_count);
    Add(expired, labels, status.expired_evidence_count);
    by_clause[{r.key.framework, r.clause}].push_back(status);
  }
  for (const auto& [key, statuses] : by_clause) {
    Add(score, {{"framework", key.first}, {"clause", key.second}}, ReadinessScore(statuses, now));
  }
  auto sources = Gauge("compliance_source_last_evidence_timestamp_seconds",
                       "When each evidence source last delivered a record.");
  for (const auto& [source, time] : snapshot.last_delivery_by_source) {
    Add(sources, {{"source", source}}, Seconds(time));
  }
  auto pending = Gauge("compliance_audit_pending_events",
                       "Committed changes whose audit events are not sealed yet; it stays above "
                       "zero only when no replica can seal.");
  Add(pending, {}, static_cast<double>(snapshot.audit_pending_events));
  for (auto* family : {&open, &overdue, &oldest, &next_review, &last_review, &conformity, &valid,
                       &expired, &score, &sources, &pending}) {
    out.push_back(std::move(*family));
  }
}

}  // namespace

ComplianceCollector::ComplianceCollector(StatusStore& store, const ConnectionPool& pool,
                                         const Clock& clock, std::string version,
                                         absl::Duration cache_ttl, absl::Duration query_timeout)
    : store_(store),
      pool_(pool),
      clock_(clock),
      version_(std::move(version)),
      cache_ttl_(cache_ttl),
      query_timeout_(query_timeout) {}

std::optional<ComplianceSnapshot> ComplianceCollector::Current(absl::Time now) const {
  absl::MutexLock lock(&mutex_);
  if (cached_ && now - cached_at_ < cache_ttl_) return cached_;
  const absl::Time started = absl::Now();
  auto snapshot = store_.Snapshot("", "", now, started + query_timeout_);
  last_query_seconds_ = absl::ToDoubleSeconds(absl::Now() - started);
  if (!snapshot.ok()) {
    cached_.reset();
    return std::nullopt;
  }
  cached_ = std::move(*snapshot);
  cached_at_ = now;
  return cached_;
}

std::vector<MetricFamily> ComplianceCollector::Collect() const {
  const absl::Time now = clock_.Now();
  const auto snapshot = Current(now);
  std::vector<MetricFamily> out;
  auto up = Gauge("compliance_metrics_up",
                  "1 when the compliance figures could be read from PostgreSQL, 0 when they "
                  "are missing from this scrape.");
  Add(up, {}, snapshot ? 1 : 0);
  out.push_back(std::move(up));
  if (snapshot) AddRequirementFamilies(*snapshot, now, out);

  auto query = Gauge("compliance_metrics_query_duration_seconds",
                     "Time the last compliance snapshot query took.");
  {
    absl::MutexLock lock(&mutex_);
    Add(query, {}, last_query_seconds_);
  }
  out.push_back(std::move(query));

  const PoolStats stats = pool_.Stats();
  auto connections =
      Gauge("compliance_db_pool_connections", "PostgreSQL connections of the pool by state.");
  Add(connections, {{"state", "in_use"}}, stats.in_use);
  Add(connections, {{"state", "idle"}}, stats.open - stats.in_use);
  out.push_back(std::move(connections));
  auto size = Gauge("compliance_db_pool_max_connections", "Configured size of the pool.");
  Add(size, {}, stats.size);
  out.push_back(std::move(size));
  auto waiting = Gauge("compliance_db_pool_waiting", "Calls waiting for a pooled connection.");
  Add(waiting, {}, stats.waiting);
  out.push_back(std::move(waiting));

  auto info = Gauge("compliance_build_info", "Build of the running server; always 1.");
  Add(info, {{"version", version_}}, 1);
  out.push_back(std::move(info));
  return out;
}

}  // namespace compliance
