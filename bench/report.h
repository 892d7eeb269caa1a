#pragma once

#include <string>
#include <vector>

namespace compliance::bench {

/// One line of the results table: a figure, its same-run baseline and the target ratio.
struct Row {
  std::string scenario;
  std::string figure;    ///< what was measured, with its value ("4210 calls/s")
  std::string baseline;  ///< the baseline and its value, or "—"
  double ratio = 0;      ///< figure / baseline (or the absolute value when no baseline)
  std::string target;    ///< "≥ 0.5", "≤ 3×", "< 100 ms"
  bool met = false;
  std::string spread = "";  ///< the ratio's lowest and highest over the repetitions ("0.71–0.78")
};

/// A row whose figure must be at least `at_least` times its baseline.
Row RatioRow(std::string scenario, std::string figure, std::string baseline, double ratio,
             double at_least);

/// One row per scenario from rows measured several times each (the same scenario name): the
/// run with the median ratio, its `met` judged on that median, and the spread of all runs.
std::vector<Row> MedianOfRuns(const std::vector<Row>& rows);

/// The table as Markdown, so it can go into bench/README.md unchanged.
std::string MarkdownTable(const std::vector<Row>& rows);

/// The rows and the machine's description as JSON.
std::string JsonReport(const std::vector<Row>& rows, const std::string& machine);

}  // namespace compliance::bench
