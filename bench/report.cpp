#include "report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"

namespace compliance::bench {

Row RatioRow(std::string scenario, std::string figure, std::string baseline, double ratio,
             double at_least) {
  return {std::move(scenario),
          std::move(figure),
          std::move(baseline),
          ratio,
          absl::StrFormat("≥ %.2f", at_least),
          ratio >= at_least};
}

std::vector<Row> MedianOfRuns(const std::vector<Row>& rows) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<Row>> runs;
  for (const Row& row : rows) {
    if (runs[row.scenario].empty()) order.push_back(row.scenario);
    runs[row.scenario].push_back(row);
  }
  std::vector<Row> merged;
  for (const std::string& scenario : order) {
    std::vector<Row>& all = runs[scenario];
    std::sort(all.begin(), all.end(), [](const Row& a, const Row& b) { return a.ratio < b.ratio; });
    Row median = all[(all.size() - 1) / 2];
    if (all.size() > 1)
      median.spread = absl::StrFormat("%.2f–%.2f", all.front().ratio, all.back().ratio);
    merged.push_back(std::move(median));
  }
  return merged;
}

std::string MarkdownTable(const std::vector<Row>& rows) {
  std::string out =
      "| scenario | figure (median run) | baseline in the same run | ratio | spread | target | met "
      "|\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& row : rows) {
    out += absl::StrFormat("| %s | %s | %s | %.2f | %s | %s | %s |\n", row.scenario, row.figure,
                           row.baseline, row.ratio, row.spread.empty() ? "—" : row.spread,
                           row.target, row.met ? "yes" : "**no**");
  }
  return out;
}

std::string JsonReport(const std::vector<Row>& rows, const std::string& machine) {
  nlohmann::json report = {{"machine", machine}, {"rows", nlohmann::json::array()}};
  for (const auto& row : rows) {
    report["rows"].push_back({{"scenario", row.scenario},
                              {"figure", row.figure},
                              {"baseline", row.baseline},
                              {"ratio", row.ratio},
                              {"spread", row.spread},
                              {"target", row.target},
                              {"met", row.met}});
  }
  return report.dump(2) + "\n";
}

}  // namespace compliance::bench
