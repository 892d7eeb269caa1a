#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "compliance/v1/evidence.pb.h"
#include "report.h"

namespace compliance::bench {

/// Where the service under test is, and how big the run is.
struct Target {
  std::string grpc;          ///< host:port of compliance-server
  std::string http;          ///< host:port of its REST listener; empty when it has none
  std::string metrics;       ///< host:port of its /metrics
  std::string database_url;  ///< the same database the server uses
  std::string token;         ///< an admin token
  std::string pgbench;       ///< path of pgbench
  pid_t server_pid = 0;
  std::string server_binary;  ///< the compliance-server measured, to start a replica of it
  double seconds = 5;         ///< measured window of each throughput run
  int64_t batch_records = 100000;
  int64_t history = 1000000;  ///< closed actions and superseded evidence in the large database
  int repeat = 3;             ///< runs of each measurement; rows report the median and the spread
  bool webhooks = false;      ///< the server delivers webhooks to loopback receivers
};

/// A training record of `source` with external id `training-<n>`, as an HR system sends it.
v1::CreateEvidenceRequest TrainingRecord(const std::string& source, int64_t n);

/// Median milliseconds of `scrapes` sequential /metrics scrapes, as curl times them; throws
/// when a scrape fails.
double ScrapeMs(const Target& target, int scrapes);

/// Resident memory of the server, in MiB.
double ServerRssMib(const Target& target);

/// GetRequirement and ListRequirements against the gRPC health Check, 64 calls in flight.
std::vector<Row> UnaryRows(const Target& target);

/// CreateEvidence with `clients` clients against pgbench running its INSERTs (without any
/// NOTIFY at commit) with as many.
Row CreateEvidenceRow(const Target& target, int clients);

/// BatchCreateEvidence in batches of 1000 against COPY of the same rows.
Row BatchEvidenceRow(const Target& target);

/// GetReadiness and the /metrics scrape, on a small database and then with `history` rows;
/// each measured `target.repeat` times (the rows of each run, for MedianOfRuns).
std::vector<Row> GrowthRows(const Target& target);

/// GetInclusionProof in a tree of `history` events against one of 1000 events, measured
/// `target.repeat` times.
std::vector<Row> InclusionProofRows(const Target& target);

/// 100 WatchAuditEvents streams while 1,000 events a second are written.
Row WatchLagRow(const Target& target);

}  // namespace compliance::bench
