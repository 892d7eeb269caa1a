#include "report_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli_values.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "evidence_values.h"
#include "html_report.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::ReportService;

constexpr char kGreen[] = "\033[32m";
constexpr char kRed[] = "\033[31m";
constexpr char kReset[] = "\033[0m";

// Flag values of the report commands (only one runs).
struct ReportArgs {
  std::string framework;
  std::string clause;
  std::string html;  // report
  std::string file;  // export oscal; empty or "-" for stdout
};

// Writes `content` to `path` through a temporary file renamed into place, so that a failed
// run leaves no half-written file; false (with the reason on stderr) when it fails.
bool WriteFile(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      std::cerr << "error: cannot write " << path << '\n';
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::perror(("error: cannot write " + path).c_str());
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

grpc::Status FetchReadiness(const ClientOptions& options, const ReportArgs& args,
                            v1::GetReadinessResponse* response) {
  v1::GetReadinessRequest request;
  request.set_framework(args.framework);
  request.set_clause(args.clause);
  return CallOnce(options, &ReportService::Stub::GetReadiness, request, response);
}

int Readiness(const ClientOptions& options, const ReportArgs& args) {
  v1::GetReadinessResponse response;
  const grpc::Status status = FetchReadiness(options, args, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(response, std::cout);
  } else {
    const bool terminal = StdoutIsTerminal();
    PrintReadiness(response, terminal, terminal && ColorAllowed(), std::cout);
  }
  return response.audit_ready() ? 0 : kNotAuditReadyExitCode;
}

int Report(const ClientOptions& options, const ReportArgs& args) {
  ReportData data;
  data.framework = args.framework;
  data.clause = args.clause;
  data.generated = absl::Now();
  grpc::Status status = FetchReadiness(options, args, &data.readiness);
  if (!status.ok()) return ReportRpcError(status, options.server);

  // Owners, notes and review dates of the requirements in scope.
  auto requirements = v1::RequirementService::NewStub(options.Channel());
  v1::ListRequirementsRequest list_requirements;
  list_requirements.set_framework(args.framework);
  list_requirements.set_clause(args.clause);
  v1::ListRequirementsResponse listed;
  status = CollectPages(
      options, *requirements, &v1::RequirementService::Stub::ListRequirements, list_requirements,
      /*limit=*/0, [](auto& response) { return response.mutable_requirements(); }, &listed);
  if (!status.ok()) return ReportRpcError(status, options.server);
  for (auto& r : *listed.mutable_requirements()) data.requirements.push_back(std::move(r));

  // Overdue actions, soonest due (so most overdue) first, of the requirements in scope.
  std::set<std::string> in_scope;
  for (const auto& row : data.readiness.requirements()) in_scope.insert(row.requirement());
  auto actions = v1::ActionService::NewStub(options.Channel());
  v1::ListActionsRequest list_actions;
  list_actions.set_overdue_only(true);
  v1::ListActionsResponse overdue;
  status = CollectPages(
      options, *actions, &v1::ActionService::Stub::ListActions, list_actions,
      /*limit=*/0, [](auto& response) { return response.mutable_actions(); }, &overdue);
  if (!status.ok()) return ReportRpcError(status, options.server);
  for (auto& a : *overdue.mutable_actions()) {
    if (in_scope.count(a.requirement()) > 0) data.overdue_actions.push_back(std::move(a));
  }

  if (!WriteFile(args.html, RenderHtmlReport(data))) return 1;
  std::cout << "Wrote " << args.html << " (" << VerdictLine(data.readiness) << ")\n";
  return 0;
}

int ExportOscal(const ClientOptions& options, const ReportArgs& args) {
  v1::ExportAssessmentResultsRequest request;
  request.set_framework(args.framework);
  request.set_clause(args.clause);
  v1::ExportAssessmentResultsResponse response;
  const grpc::Status status =
      CallOnce(options, &ReportService::Stub::ExportAssessmentResults, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  std::string document = response.document();
  if (document.empty() || document.back() != '\n') document += '\n';
  if (args.file.empty() || args.file == "-") {
    std::cout << document << std::flush;
    return 0;
  }
  if (!WriteFile(args.file, document)) return 1;
  std::cerr << "Wrote " << args.file << " (" << response.media_type() << ")\n";
  return 0;
}

void AddScope(CLI::App& command, ReportArgs& args) {
  command.add_option("--framework", args.framework,
                     "framework id, e.g. iso27001-2022; default all");
  command.add_option("--clause", args.clause, "clause, e.g. 5.1; default all");
}

}  // namespace

std::string GapWord(int gap) {
  switch (gap) {
    case v1::READINESS_GAP_NOT_ASSESSED:
      return "not assessed";
    case v1::READINESS_GAP_NONCONFORMING:
      return "nonconforming";
    case v1::READINESS_GAP_PARTIALLY_CONFORMING:
      return "partially conforming";
    case v1::READINESS_GAP_NO_VALID_EVIDENCE:
      return "no valid evidence";
    case v1::READINESS_GAP_ACTION_OVERDUE:
      return "action overdue";
    case v1::READINESS_GAP_REVIEW_OVERDUE:
      return "review overdue";
    case v1::READINESS_GAP_NO_OWNER:
      return "no owner";
    default:
      return absl::StrCat("gap ", gap);
  }
}

std::string GapWords(const v1::RequirementReadiness& row) {
  if (row.gaps().empty()) return "ready";
  std::vector<std::string> words;
  for (const int gap : row.gaps()) words.push_back(GapWord(gap));
  return absl::StrJoin(words, ", ");
}

std::string EvidenceCell(const v1::RequirementReadiness& row) {
  return absl::StrCat(row.valid_evidence_count(),
                      row.expired_evidence_count() > 0
                          ? absl::StrCat(", ", row.expired_evidence_count(), " expired")
                          : "");
}

std::string ActionsCell(const v1::RequirementReadiness& row) {
  return absl::StrCat(row.open_action_count(), " open",
                      row.overdue_action_count() > 0
                          ? absl::StrCat(", ", row.overdue_action_count(), " overdue")
                          : "");
}

int ReadyCount(const v1::GetReadinessResponse& readiness) {
  int ready = 0;
  for (const auto& row : readiness.requirements()) ready += row.gaps().empty() ? 1 : 0;
  return ready;
}

std::string VerdictLine(const v1::GetReadinessResponse& readiness) {
  const int total = readiness.requirements_size();
  if (total == 0) return "Not audit-ready: no requirements in scope";
  const std::string counts = absl::StrCat(ReadyCount(readiness), "/", total, " requirements ready");
  if (readiness.audit_ready()) return "Audit-ready: " + counts;
  return absl::StrFormat("Not audit-ready: %s (score %.2f)", counts, readiness.score());
}

void PrintReadiness(const v1::GetReadinessResponse& readiness, bool terminal, bool color,
                    std::ostream& out) {
  Table table({"REQ", "TITLE", "CONFORMITY", "EVIDENCE", "ACTIONS", "GAPS"});
  for (const auto& row : readiness.requirements()) {
    const bool ready = row.gaps().empty();
    std::string gaps = GapWords(row);
    if (terminal) gaps = (ready ? "✔ " : "✘ ") + gaps;
    // GAPS is the last column, so its colour codes never upset the alignment.
    if (color) gaps = (ready ? kGreen : kRed) + gaps + kReset;
    table.AddRow({ShortRequirementName(row.requirement()), Shorten(row.title(), 48),
                  ConformityWord(row.conformity()), EvidenceCell(row), ActionsCell(row),
                  std::move(gaps)});
  }
  table.Print(out);
  const std::string verdict = VerdictLine(readiness);
  out << '\n';
  if (color) {
    out << (readiness.audit_ready() ? kGreen : kRed) << verdict << kReset << '\n';
  } else {
    out << verdict << '\n';
  }
}

void AddReportCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();

  auto* readiness =
      app.add_subcommand("readiness", "are we ready for the audit, and if not, what is missing?");
  readiness->footer(
      "One row per requirement; GAPS says what stands between it and audit readiness. On a\n"
      "terminal ready rows are marked ✔ in green and the others ✘ in red (set NO_COLOR to turn\n"
      "the colour off). The last line is the verdict.\n"
      "Exit code: 0 audit-ready, 3 not audit-ready (also with --output json), 1 server error,\n"
      "2 usage error.\n\n"
      "Example: compliancectl readiness --framework iso27001-2022 --clause 5.1\n");
  AddScope(*readiness, *args);
  readiness->callback([&, args] { exit_code = Readiness(options, *args); });

  auto* report = app.add_subcommand(
      "report", "write a one-page HTML readiness report for auditors and executives");
  report->footer(
      "The page is self-contained (inline CSS, no scripts, no external files): the verdict,\n"
      "the status of every requirement, overdue actions and how late each is, overdue reviews,\n"
      "and when it was generated. It exits 0 once the file is written, ready or not.\n\n"
      "Example: compliancectl report --html readiness.html --clause 5.1\n");
  report->add_option("--html", args->html, "the HTML file to write")->required();
  AddScope(*report, *args);
  report->callback([&, args] { exit_code = Report(options, *args); });

  auto* group = app.add_subcommand("export", "export the current state for other tools");
  group->require_subcommand(1);
  group->footer("Example: compliancectl export oscal -o assessment-results.json\n");
  auto* oscal = group->add_subcommand(
      "oscal", "an OSCAL 1.0.6 assessment-results document (JSON), one finding per requirement");
  oscal->footer(
      "Evidence appears as relevant-evidence, overdue actions as risks with deadlines.\n\n"
      "Example: compliancectl export oscal --clause 5.1 -o assessment-results.json\n");
  oscal->add_option("-o,--out", args->file, "file to write; default (or -) stdout");
  AddScope(*oscal, *args);
  oscal->callback([&, args] { exit_code = ExportOscal(options, *args); });
}

}  // namespace compliance::cli
