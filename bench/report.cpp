#include "report.h"

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

std::string MarkdownTable(const std::vector<Row>& rows) {
  std::string out =
      "| scenario | figure | baseline in the same run | ratio | target | met |\n"
      "|---|---|---|---|---|---|\n";
  for (const auto& row : rows) {
    out += absl::StrFormat("| %s | %s | %s | %.2f | %s | %s |\n", row.scenario, row.figure,
                           row.baseline, row.ratio, row.target, row.met ? "yes" : "**no**");
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
                              {"target", row.target},
                              {"met", row.met}});
  }
  return report.dump(2) + "\n";
}

}  // namespace compliance::bench
