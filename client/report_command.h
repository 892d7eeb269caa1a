#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "client_options.h"
#include "compliance/v1/report.pb.h"

namespace compliance::cli {

/// Exit code of `readiness` when the scope is not audit-ready (0 when it is).
inline constexpr int kNotAuditReadyExitCode = 3;

/// Adds `readiness`, `report --html FILE` and `export oscal`; the chosen one stores its exit
/// code.
void AddReportCommands(CLI::App& app, const ClientOptions& options, int& exit_code);

/// The words for a ReadinessGap number, e.g. `no valid evidence`.
std::string GapWord(int gap);

/// A requirement's gaps in words, comma-separated in the server's order
/// (`not assessed, no valid evidence, no owner`), or `ready` when it has none.
std::string GapWords(const v1::RequirementReadiness& row);

/// EVIDENCE of a readiness row: the valid count, plus `, N expired` when any expired.
std::string EvidenceCell(const v1::RequirementReadiness& row);

/// ACTIONS of a readiness row: `2 open`, or `2 open, 1 overdue`.
std::string ActionsCell(const v1::RequirementReadiness& row);

/// How many rows have no gaps.
int ReadyCount(const v1::GetReadinessResponse& readiness);

/// The one-line verdict: `Audit-ready: 8/8 requirements ready`, or
/// `Not audit-ready: 5/8 requirements ready (score 0.62)`.
std::string VerdictLine(const v1::GetReadinessResponse& readiness);

/// Prints the `readiness` table and the verdict. With `terminal` the GAPS cell starts with ✔ or
/// ✘; with `color` it (and the verdict) is green or red.
void PrintReadiness(const v1::GetReadinessResponse& readiness, bool terminal, bool color,
                    std::ostream& out);

}  // namespace compliance::cli
