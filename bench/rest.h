#pragma once

#include "report.h"
#include "scenarios.h"

namespace compliance::bench {

/// REST against gRPC on the same server in one run: GetRequirement with 64 connections (wrk)
/// against 64 gRPC calls in flight, and CreateEvidence with 16 of each.
std::vector<Row> RestRows(const Target& target);

/// The HTTP library the REST listener is built on (cpp-httplib) against the one prometheus-cpp
/// already links (civetweb): each serves a small JSON answer to 64 connections, in this process.
Row HttpLibraryRow(const Target& target);

}  // namespace compliance::bench
