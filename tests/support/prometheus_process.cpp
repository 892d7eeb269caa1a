#include "prometheus_process.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include "process.h"

namespace compliance::testing {

std::string TempDir(const std::string& prefix) {
  std::string path = "/tmp/" + prefix + ".XXXXXX";
  return mkdtemp(path.data());
}

PrometheusProcess::PrometheusProcess(const std::string& target, const std::string& rules)
    : dir_(TempDir("compliance-prom")) {
  port_ = FreePort();
  std::ofstream(dir_ + "/prometheus.yml")
      << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
      << "rule_files:\n  - " << rules << "\n"
      << "scrape_configs:\n  - job_name: compliance\n    static_configs:\n"
      << "      - targets: ['" << target << "']\n";
  int out = -1;
  pid_ =
      SpawnProcess({"prometheus", "--config.file=" + dir_ + "/prometheus.yml",
                    "--storage.tsdb.path=" + dir_ + "/data",
                    "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"},
                   {}, &out);
  close(out);
}

PrometheusProcess::~PrometheusProcess() {
  kill(pid_, SIGTERM);
  WaitProcess(pid_);
  RunProcess({"rm", "-rf", dir_});
}

nlohmann::json PrometheusProcess::Answer(const std::string& promql) {
  // No --fail: a rejected query comes back as HTTP 400 with its error in the JSON body.
  const auto result =
      RunProcess({"curl", "-sS", "--max-time", "5", "-G", "--data-urlencode", "query=" + promql,
                  "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/query"});
  if (result.exit_code != 0) return nullptr;
  return nlohmann::json::parse(result.out, nullptr, /*allow_exceptions=*/false);
}

nlohmann::json PrometheusProcess::Query(const std::string& promql) {
  const auto answer = Answer(promql);
  if (!answer.is_object() || answer.value("status", "") != "success") {
    return nlohmann::json::array();
  }
  return answer["data"]["result"];
}

}  // namespace compliance::testing
