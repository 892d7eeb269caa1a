#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server_process.h"

namespace compliance::testing {

/// A real Prometheus scraping `target` (host:port of /metrics) every second, with the
/// rule file `rules` loaded; stopped and its data removed when this goes away.
class PrometheusProcess {
 public:
  PrometheusProcess(const std::string& target, const std::string& rules);
  ~PrometheusProcess();
  PrometheusProcess(const PrometheusProcess&) = delete;
  PrometheusProcess& operator=(const PrometheusProcess&) = delete;

  /// The whole answer of an instant query (`status`, `data` or `error`); null while
  /// Prometheus does not answer.
  nlohmann::json Answer(const std::string& promql);
  /// The result vector of an instant query; empty while Prometheus is not up yet.
  nlohmann::json Query(const std::string& promql);
  /// Polls `promql` until `accept` holds for its result; false after `seconds`.
  template <typename Accept>
  bool WaitFor(const std::string& promql, Accept accept, double seconds) {
    const auto give_up = DeadlineIn(seconds);
    while (std::chrono::system_clock::now() < give_up) {
      if (accept(Query(promql))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return false;
  }

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

/// A new empty folder under /tmp named after `prefix`.
std::string TempDir(const std::string& prefix);

}  // namespace compliance::testing
