// compliance-bench: measures a running compliance-server against baselines taken in the same
// run on the same machine, and prints one table (Markdown) plus a JSON file. bench/run.sh
// starts the PostgreSQL and the server it measures.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "database.h"
#include "replica.h"
#include "rest.h"
#include "scenarios.h"
#include "soak.h"
#include "webhooks.h"

namespace {

using compliance::bench::Row;

Row MemoryRow(const std::string& when, double mib, double limit) {
  return {"server memory, " + when,
          absl::StrFormat("%.1f MiB RSS", mib),
          "—",
          mib,
          absl::StrFormat("< %.0f MiB", limit),
          mib < limit};
}

// Settles the bench's database before a measurement, and says how long that took.
void SettleDatabase(const compliance::bench::Target& target) {
  const auto start = std::chrono::steady_clock::now();
  pqxx::connection connection(target.database_url);
  compliance::bench::Settle(connection);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::cerr << absl::StrFormat("bench: settled the database in %.1f s", took.count()) << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  namespace bench = compliance::bench;
  bench::Target target;
  std::string json_path = "bench-results.json";
  std::string machine;
  std::vector<std::string> only;
  CLI::App app("Benchmarks a running compliance-server against same-run baselines");
  app.add_option("--server", target.grpc, "gRPC host:port")->required();
  app.add_option("--metrics", target.metrics, "metrics host:port")->required();
  app.add_option("--http", target.http, "REST host:port (the rest scenario needs it)");
  app.add_option("--database-url", target.database_url, "the server's database")->required();
  app.add_option("--token", target.token, "admin token")->required();
  app.add_option("--server-pid", target.server_pid, "for its memory")->required();
  app.add_option("--pgbench", target.pgbench, "pgbench binary")->required();
  app.add_option("--server-binary", target.server_binary,
                 "the server's executable, to start a second replica (the replica scenario)");
  app.add_option("--seconds", target.seconds, "measured window of each throughput run");
  app.add_option("--batch-records", target.batch_records, "records for the batch scenario");
  app.add_option("--history", target.history, "rows of history in the large database");
  app.add_flag("--webhooks", target.webhooks,
               "measure webhook deliveries (a server with --allow-insecure-webhooks)");
  app.add_option("--json", json_path, "where the JSON results go");
  app.add_option("--repeat", target.repeat, "runs of each measurement (median and spread)")
      ->check(CLI::Range(1, 20));
  app.add_option("--machine", machine, "a description of the machine, for the report");
  app.add_option("--only", only,
                 "run only these: unary, rest, http-library, growth, create, batch, watch, "
                 "replica, webhooks, proof")
      ->delimiter(',');
  bench::SoakOptions soak;
  bool soak_mode = false;
  app.add_flag("--soak", soak_mode, "run the soak (scripts/soak.sh) instead of the benchmark");
  app.add_option("--soak-seconds", soak.seconds, "how long the soak runs");
  app.add_option("--soak-warmup", soak.warmup, "seconds before the RSS baseline is taken");
  app.add_option("--soak-interval", soak.interval, "seconds between progress lines");
  app.add_option("--soak-max-growth", soak.max_growth_percent, "RSS growth allowed, percent");
  bool no_settle = false;
  app.add_flag("--no-settle", no_settle,
               "start each measurement without first vacuuming and checkpointing what earlier "
               "ones wrote");
  CLI11_PARSE(app, argc, argv);
  if (soak_mode) return bench::RunSoak(target, soak);

  std::vector<Row> rows;
  // Runs a step's measurement `repeat` times unless it repeats them itself (the growth and
  // proof steps load their data once and measure it repeatedly), each from a settled
  // database unless --no-settle.
  const auto step = [&](const char* what, auto&& run, bool repeats_itself = false) {
    const std::string name = std::string(what).substr(0, std::string(what).find_first_of(" :"));
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) return;
    std::cerr << "bench: " << what << "…" << std::endl;
    for (int i = 0; i < (repeats_itself ? 1 : target.repeat); ++i) {
      if (!no_settle) SettleDatabase(target);
      run();
    }
  };
  try {
    const double idle_mib = bench::ServerRssMib(target);
    step("unary calls", [&] {
      for (auto& row : bench::UnaryRows(target)) rows.push_back(row);
    });
    if (!target.http.empty()) {
      step("rest: REST against gRPC", [&] {
        for (auto& row : bench::RestRows(target)) rows.push_back(row);
      });
    }
    step("http-library: the event loop against civetweb and cpp-httplib",
         [&] { rows.push_back(bench::HttpLibraryRow(target)); });
    step(
        "growth: GetReadiness and /metrics as history grows",
        [&] {
          for (auto& row : bench::GrowthRows(target)) rows.push_back(row);
        },
        true);
    step("create: CreateEvidence, 16 and 64 clients", [&] {
      rows.push_back(bench::CreateEvidenceRow(target, 16));
      rows.push_back(bench::CreateEvidenceRow(target, 64));
    });
    step("batch: BatchCreateEvidence", [&] { rows.push_back(bench::BatchEvidenceRow(target)); });
    step("watch: WatchAuditEvents", [&] { rows.push_back(bench::WatchLagRow(target)); });
    if (!target.server_binary.empty()) {
      step("replica: a change seen through another replica",
           [&] { rows.push_back(bench::ReplicaVisibilityRow(target)); });
    }
    if (target.webhooks) {
      step("webhooks: deliveries to 100 subscriptions",
           [&] { rows.push_back(bench::WebhookLagRow(target)); });
    }
    step(
        "proof: GetInclusionProof as the log grows",
        [&] {
          for (auto& row : bench::InclusionProofRows(target)) rows.push_back(row);
        },
        true);
    rows = bench::MedianOfRuns(rows);
    rows.push_back(MemoryRow("idle", idle_mib, 24));
    rows.push_back(MemoryRow("at the end of the run", bench::ServerRssMib(target), 256));
  } catch (const std::exception& e) {
    std::cerr << "bench: failed: " << e.what() << std::endl;
    std::cout << bench::MarkdownTable(bench::MedianOfRuns(rows));
    return 1;
  }
  std::cout << bench::MarkdownTable(rows);
  std::ofstream(json_path) << bench::JsonReport(rows, machine);
  int missed = 0;
  for (const auto& row : rows) missed += !row.met;
  std::cerr << absl::StrFormat("bench: %d of %d targets met; results in %s", rows.size() - missed,
                               rows.size(), json_path)
            << std::endl;
  return 0;
}
