#include "scenarios.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "baselines.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "database.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "load.h"
#include "watch.h"

namespace compliance::bench {
namespace {

namespace v1 = compliance::v1;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr char kRequirement[] = "frameworks/iso27001-2022/requirements/5.1.a";
LoadResult HealthLoad(const Target& target, const LoadOptions& options) {
  return Drive<HealthCheckRequest>(
      target.grpc, target.token, options, MethodPath<Health>("Check"),
      [] { return HealthCheckRequest(); }, false);
}

std::string Throughput(const LoadResult& r) {
  return absl::StrFormat("%.0f calls/s, p50 %.2f ms, p99 %.2f ms", r.CallsPerSecond(), r.p50_ms,
                         r.p99_ms);
}

// Median milliseconds of `calls` sequential GetReadiness calls.
double ReadinessMs(const Target& target, int calls) {
  LoadOptions options{
      .in_flight = 1, .threads = 1, .warmup = absl::ZeroDuration(), .max_calls = calls};
  v1::GetReadinessRequest request;
  request.set_framework("iso27001-2022");
  request.set_clause("5.1");
  const auto result = Drive<v1::GetReadinessRequest>(target.grpc, target.token, options,
                                                     MethodPath<v1::ReportService>("GetReadiness"),
                                                     [&] { return request; });
  return result.p50_ms;
}

// Median milliseconds of `calls` sequential GetInclusionProof calls for events spread over a
// tree of `tree_size` events, after half a second of the same calls unmeasured (a serving
// process has the tree's upper levels in memory; the leaves it reads stay random).
double InclusionProofMs(const Target& target, int64_t tree_size, int calls) {
  LoadOptions options{
      .in_flight = 1, .threads = 1, .warmup = absl::Milliseconds(500), .max_calls = calls};
  v1::GetInclusionProofRequest request;
  request.set_tree_size(tree_size);
  int64_t next = 0;
  const auto result = Drive<v1::GetInclusionProofRequest>(
      target.grpc, target.token, options, MethodPath<v1::AuditService>("GetInclusionProof"), [&] {
        next = (next * 6364136223846793005LL + 1442695040888963407LL) & INT64_MAX;
        request.set_sequence(1 + next % tree_size);
        return request;
      });
  return result.p50_ms;
}

}  // namespace

v1::CreateEvidenceRequest TrainingRecord(const std::string& source, int64_t n) {
  v1::CreateEvidenceRequest request;
  auto* evidence = request.mutable_evidence();
  evidence->add_requirements("frameworks/iso27001-2022/requirements/5.1.g");
  evidence->set_kind(v1::EVIDENCE_KIND_TRAINING_RECORD);
  evidence->set_title("Security awareness training 2026");
  evidence->set_uri(absl::StrFormat("https://hr.example.com/training/records/%s-%d", source, n));
  evidence->set_source(source);
  evidence->set_external_id(absl::StrFormat("training-%d", n));
  evidence->mutable_collect_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 86400);
  evidence->mutable_expire_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) + 300 * 86400);
  (*evidence->mutable_labels())["department"] = "finance";
  return request;
}

// Median milliseconds of `scrapes` sequential /metrics scrapes, as curl times them.
double ScrapeMs(const Target& target, int scrapes) {
  std::vector<double> times;
  const std::string command = absl::StrFormat(
      "curl -sf -o /dev/null -w '%%{time_total}' http://%s/metrics", target.metrics);
  for (int i = 0; i < scrapes; ++i) {
    FILE* pipe = popen(command.c_str(), "r");
    std::array<char, 64> out{};
    const size_t n = pipe ? fread(out.data(), 1, out.size() - 1, pipe) : 0;
    if (!pipe || pclose(pipe) != 0 || n == 0) throw std::runtime_error("scrape failed");
    times.push_back(std::stod(out.data()) * 1000);
  }
  return Quantile(times, 0.5);
}

Row GrowthRow(std::string scenario, std::string unit, double large, std::string baseline_name,
              double small, double at_most) {
  const double ratio = large / small;
  return {std::move(scenario),
          absl::StrFormat("%.2f %s", large, unit),
          absl::StrFormat("%s: %.2f %s", baseline_name, small, unit),
          ratio,
          absl::StrFormat("≤ %.1f×", at_most),
          ratio <= at_most};
}

double ServerRssMib(const Target& target) {
  std::ifstream status(absl::StrFormat("/proc/%d/status", target.server_pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  throw std::runtime_error("no VmRSS for the server process");
}

std::vector<Row> UnaryRows(const Target& target) {
  const LoadOptions options{
      .in_flight = 64, .threads = kClientThreads, .duration = absl::Seconds(target.seconds)};
  const LoadResult health = HealthLoad(target, options);
  v1::GetRequirementRequest get;
  get.set_name(kRequirement);
  const LoadResult got = Drive<v1::GetRequirementRequest>(
      target.grpc, target.token, options, MethodPath<v1::RequirementService>("GetRequirement"),
      [&] { return get; });
  v1::ListRequirementsRequest list;
  list.set_framework("iso27001-2022");
  list.set_clause("5.1");
  const LoadResult listed = Drive<v1::ListRequirementsRequest>(
      target.grpc, target.token, options, MethodPath<v1::RequirementService>("ListRequirements"),
      [&] { return list; });
  const std::string baseline = "health Check: " + Throughput(health);
  return {RatioRow("GetRequirement, 64 in flight", Throughput(got), baseline,
                   got.CallsPerSecond() / health.CallsPerSecond(), 0.85),
          RatioRow("ListRequirements (clause 5.1), 64 in flight", Throughput(listed), baseline,
                   listed.CallsPerSecond() / health.CallsPerSecond(), 0.7)};
}

Row CreateEvidenceRow(const Target& target, int clients) {
  const double pgbench_tps = RunPgbench(target.pgbench, target.database_url, CreateEvidenceScript(),
                                        clients, static_cast<int>(target.seconds));
  static std::atomic<int64_t> n{0};  // distinct records across rows and runs
  const LoadOptions options{
      .in_flight = clients, .threads = kClientThreads, .duration = absl::Seconds(target.seconds)};
  const LoadResult created = Drive<v1::CreateEvidenceRequest>(
      target.grpc, target.token, options, MethodPath<v1::EvidenceService>("CreateEvidence"),
      [&] { return TrainingRecord("bench-create", n++); });
  return RatioRow(
      absl::StrFormat("CreateEvidence, %d clients", clients),
      absl::StrFormat("%.0f records/s (p99 %.1f ms)", created.CallsPerSecond(), created.p99_ms),
      absl::StrFormat("pgbench, same INSERTs, no NOTIFY, %d clients: %.0f tx/s", clients,
                      pgbench_tps),
      created.CallsPerSecond() / pgbench_tps, 0.9);
}

// The ratio compares the writes themselves: COPY until its last transaction commits, the
// batches until the last one returns. COPY commits as often as the batches do, once per 1000
// records, so that on both sides the service's sealer hashes earlier transactions' audit
// events while later ones are written; a single COPY transaction would leave all of its
// sealing until after its clock stops, and charge the batches alone with it. Both are also
// timed until their audit events are sealed into the chain, for the figure text.
// They take turns, a quarter of the records at a time, so that what the machine does
// meanwhile (a checkpoint, a noisy neighbour) falls on both alike.
Row BatchEvidenceRow(const Target& target) {
  constexpr int kBatch = 1000;
  const int64_t batches = std::max<int64_t>(1, target.batch_records / kBatch);
  const int64_t rounds = std::min<int64_t>(4, batches);
  const int64_t batches_per_round = batches / rounds;
  const int64_t records = rounds * batches_per_round * kBatch;
  pqxx::connection connection(target.database_url);
  // Distinct records and COPY rounds across repetitions: a repeated record would be a no-op.
  static std::atomic<int64_t> n{0};
  static int64_t copy_round = 0;
  double copy_seconds = 0, copy_sealed_seconds = 0, batch_seconds = 0, batch_sealed_seconds = 0;
  for (int64_t round = 0; round < rounds; ++round) {
    WaitForSealing(connection, 300);
    absl::Time start = absl::Now();
    copy_seconds +=
        CopyEvidence(target.database_url, batches_per_round * kBatch, kBatch, copy_round++);
    WaitForSealing(connection, 300);
    copy_sealed_seconds += absl::ToDoubleSeconds(absl::Now() - start);
    const LoadOptions options{.in_flight = 1,
                              .threads = 1,
                              .warmup = absl::ZeroDuration(),
                              .max_calls = batches_per_round};
    start = absl::Now();
    Drive<v1::BatchCreateEvidenceRequest>(
        target.grpc, target.token, options, MethodPath<v1::EvidenceService>("BatchCreateEvidence"),
        [&] {
          v1::BatchCreateEvidenceRequest batch;
          for (int i = 0; i < kBatch; ++i) {
            *batch.add_requests() = TrainingRecord("bench-batch", n++);
          }
          return batch;
        });
    batch_seconds += absl::ToDoubleSeconds(absl::Now() - start);
    WaitForSealing(connection, 300);
    batch_sealed_seconds += absl::ToDoubleSeconds(absl::Now() - start);
  }
  const double total = static_cast<double>(records);
  return RatioRow(
      absl::StrFormat("BatchCreateEvidence, %d records in batches of %d", records, kBatch),
      absl::StrFormat("%.0f records/s (%.0f until sealed)", total / batch_seconds,
                      total / batch_sealed_seconds),
      absl::StrFormat("COPY of the same rows, %d to a transaction: %.0f records/s (%.0f until "
                      "sealed)",
                      kBatch, total / copy_seconds, total / copy_sealed_seconds),
      copy_seconds / batch_seconds, 0.8);
}

// History grows, the live set stays: readiness is compared at 1k OPEN actions and 1k ACTIVE
// evidence, with and without `history` closed actions and superseded evidence; the scrape at
// 10k OPEN actions, with and without `history` closed ones.
std::vector<Row> GrowthRows(const Target& target) {
  pqxx::connection connection(target.database_url);
  LoadEvidence(connection, 1000, RowState::kLive, "bench-small");
  LoadActions(connection, 1000, RowState::kLive);
  VacuumAnalyze(connection);
  const auto repeated = [&](auto measure) {
    std::vector<double> runs;
    for (int run = 0; run < target.repeat; ++run) runs.push_back(measure());
    return runs;
  };
  const auto readiness_small = repeated([&] { return ReadinessMs(target, 200); });

  LoadActions(connection, 9000, RowState::kLive);
  VacuumAnalyze(connection);
  const auto scrape_small = repeated([&] { return ScrapeMs(target, 50); });

  LoadEvidence(connection, target.history - 1000, RowState::kHistory, "bench-history");
  LoadActions(connection, target.history, RowState::kHistory);
  VacuumAnalyze(connection);
  const auto scrape_large = repeated([&] { return ScrapeMs(target, 50); });

  CompleteActions(connection, 9000);
  VacuumAnalyze(connection);
  const auto readiness_large = repeated([&] { return ReadinessMs(target, 200); });

  const std::string size = absl::StrFormat("%d", target.history);
  std::vector<Row> rows;
  for (int run = 0; run < target.repeat; ++run) {
    rows.push_back(GrowthRow("GetReadiness, " + size + " evidence and " + size + " actions", "ms",
                             readiness_large[run], "1k of each", readiness_small[run], 3));
    rows.push_back(GrowthRow("/metrics scrape, " + size + " closed and 10k open actions", "ms",
                             scrape_large[run], "10k open actions only", scrape_small[run], 1.5));
  }
  return rows;
}

std::vector<Row> InclusionProofRows(const Target& target) {
  constexpr int64_t kSmall = 1000;
  pqxx::connection connection(target.database_url);
  WaitForSealing(connection, 300);
  LoadAuditLog(connection, kSmall);
  std::vector<double> small;
  for (int run = 0; run < target.repeat; ++run)
    small.push_back(InclusionProofMs(target, kSmall, 1000));
  const int64_t large = std::max(target.history, AuditHead(connection));
  LoadAuditLog(connection, large);
  VacuumAnalyze(connection);
  std::vector<Row> rows;
  for (int run = 0; run < target.repeat; ++run) {
    rows.push_back(GrowthRow(absl::StrFormat("GetInclusionProof, tree of %d events", large), "ms",
                             InclusionProofMs(target, large, 1000), "tree of 1000 events",
                             small[run], 1.5));
  }
  return rows;
}

Row WatchLagRow(const Target& target) {
  constexpr int kWatchers = 100;
  constexpr int kEventsPerSecond = 1000;
  pqxx::connection connection(target.database_url);
  WaitForSealing(connection, 300);
  const int64_t head = AuditHead(connection);
  const int seconds = static_cast<int>(target.seconds * 2);
  const WatchResult watched = MeasureWatchLag(
      target.grpc, target.token, kWatchers, head,
      [&] {
        RunPgbench(target.pgbench, target.database_url, AuditEventScript(), 4, seconds,
                   kEventsPerSecond);
        WaitForSealing(connection, 60);
        return AuditHead(connection) - head;
      },
      2.0);
  return {
      "WatchAuditEvents, 100 watchers, 1,000 events/s",
      absl::StrFormat("delivery lag p50 %.1f ms, p99 %.1f ms (%d of %d deliveries, %d out of "
                      "order)",
                      watched.p50_ms, watched.p99_ms, watched.deliveries, watched.expected,
                      watched.out_of_order),
      "—",
      watched.p99_ms,
      "p99 < 20 ms",
      watched.p99_ms < 20 && watched.deliveries == watched.expected && watched.out_of_order == 0};
}

}  // namespace compliance::bench
