#pragma once

#include <cstdint>
#include <string>

namespace compliance::bench {

/// What wrk measured in one run.
struct WrkResult {
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t requests = 0;
  int64_t failed = 0;  ///< non-2xx answers and socket errors
};

/// Runs wrk (2 threads, `connections` keep-alive connections) against `url` for `seconds`,
/// after one unmeasured second of the same load; with `lua`, that script makes the requests.
/// Throws when wrk cannot run or any request fails.
WrkResult RunWrk(const std::string& url, int connections, double seconds, const std::string& token,
                 const std::string& lua = "");

}  // namespace compliance::bench
