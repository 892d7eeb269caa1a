#include "import_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/status_names.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "evidence_import.h"
#include "import_requests.h"
#include "output.h"
#include "progress.h"

namespace compliance::cli {
namespace {

using v1::EvidenceService;

struct ImportArgs {
  std::string path;
  std::string format;
  std::string source;
  int batch_size = 1000;
};

// One run of an import: the requests to send, the line each came from, and what happened.
struct ImportRun {
  std::string file;
  std::vector<v1::CreateEvidenceRequest> requests;
  std::vector<size_t> lines;
  ImportSummary summary;
  size_t done = 0;  ///< requests sent or rejected so far
  ProgressBar* progress = nullptr;

  std::string Where(size_t line) const { return absl::StrCat(file, " line ", line, ": "); }
  void Reject(size_t line, const std::string& why, size_t rows) {
    progress->Message(Where(line) + why);
    summary.rejected += static_cast<int64_t>(rows);
    progress->Advance(rows);
  }
};

std::string ReadInput(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CLI::ValidationError("FILE", "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw CLI::ValidationError("FILE", "error reading " + path);
  return text.str();
}

// The file's rows; a file that cannot be read as a whole is a usage error.
std::vector<ImportRow> ReadRows(const ImportArgs& args) {
  const std::string input = ReadInput(args.path);
  auto format = ChooseImportFormat(args.path, args.format);
  if (!format.ok()) throw CLI::ValidationError("--format", std::string(format.status().message()));
  if (*format == ImportFormat::kJsonl) return ParseJsonlImport(input);
  auto parsed = ParseCsvImport(input);
  if (!parsed.ok()) throw CLI::ValidationError(args.path, std::string(parsed.status().message()));
  return std::move(*parsed);
}

// Rows the client cannot turn into a request (the file's own format) are rejected here.
void CollectRequests(const std::vector<ImportRow>& rows, const std::string& source,
                     ImportRun& run) {
  for (const auto& row : rows) {
    auto request = row.record.ok() ? ToCreateRequest(*row.record, source)
                                   : absl::StatusOr<v1::CreateEvidenceRequest>(row.record.status());
    if (!request.ok()) {
      run.Reject(row.line, std::string(request.status().message()), 1);
      ++run.done;
      continue;
    }
    run.requests.push_back(std::move(*request));
    run.lines.push_back(row.line);
  }
}

// Server answers that reject a batch for its content: report, count, go on.
bool RejectsBatchContent(grpc::StatusCode code) {
  return code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::NOT_FOUND ||
         code == grpc::StatusCode::FAILED_PRECONDITION || code == grpc::StatusCode::ALREADY_EXISTS;
}

// Sends one batch. The server judges the values: when it finds one item INVALID_ARGUMENT, that
// row is reported with its line and the server's words and the rest is sent again, so a bad
// row costs only itself. Other refusals of the content reject what is left of the batch. Any
// other error is returned: the import stops there.
grpc::Status SendBatch(EvidenceService::Stub& stub, const ClientOptions& options,
                       std::vector<size_t> pending, ImportRun& run) {
  while (!pending.empty()) {
    v1::BatchCreateEvidenceRequest request;
    for (size_t i : pending) *request.add_requests() = run.requests[i];
    grpc::ClientContext context;
    options.Prepare(context);
    v1::BatchCreateEvidenceResponse response;
    const grpc::Status status = stub.BatchCreateEvidence(&context, request, &response);
    if (status.ok()) {
      run.summary.Add(response);
      run.progress->Advance(pending.size());
      run.done += pending.size();
      return status;
    }
    const auto item = BatchItemViolation(status);
    const bool known_item = item && item->index < pending.size();
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT && known_item) {
      run.Reject(run.lines[pending[item->index]],
                 item->column.empty() ? item->problem : item->column + ": " + item->problem, 1);
      ++run.done;
      pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(item->index));
      continue;
    }
    if (!RejectsBatchContent(status.error_code())) return status;
    const size_t first = run.lines[pending.front()];
    run.Reject(
        known_item ? run.lines[pending[item->index]] : first,
        absl::StrCat(StatusCodeName(status.error_code()), ": ", status.error_message(),
                     pending.size() == 1
                         ? ""
                         : absl::StrCat(" (the batch of ", pending.size(), " rows on lines ", first,
                                        "-", run.lines[pending.back()], " was rejected with it)")),
        pending.size());
    run.done += pending.size();
    return grpc::Status::OK;
  }
  return grpc::Status::OK;
}

void PrintSummary(const ClientOptions& options, const ImportSummary& summary) {
  std::cout << (options.json() ? summary.Json() : summary.Line()) << "\n";
}

int Import(const ClientOptions& options, const ImportArgs& args) {
  const std::vector<ImportRow> rows = ReadRows(args);
  ProgressBar progress(std::cerr, rows.size(), "rows", StderrIsTerminal());
  ImportRun run;
  run.file = args.path == "-" ? "stdin" : args.path;
  run.progress = &progress;
  CollectRequests(rows, args.source, run);
  const size_t valid = run.requests.size();
  const size_t locally_rejected = run.done;

  auto stub = EvidenceService::NewStub(options.Channel());
  for (const auto& batch : PlanBatches(run.requests, static_cast<size_t>(args.batch_size))) {
    const grpc::Status status = SendBatch(*stub, options, batch, run);
    if (status.ok()) continue;
    progress.Finish();
    ReportRpcError(status, options.server);
    std::cerr << "import stopped at " << run.file << " line " << run.lines[batch[0]] << ": "
              << valid - (run.done - locally_rejected) << " of " << valid
              << " valid rows were not sent; running the same import again is safe.\n";
    PrintSummary(options, run.summary);
    return 1;
  }
  progress.Finish();
  PrintSummary(options, run.summary);
  return run.summary.rejected > 0 ? 1 : 0;
}

}  // namespace

void AddImportCommand(CLI::App& evidence, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<ImportArgs>();
  auto* import = evidence.add_subcommand(
      "import", "import evidence from CSV or JSON Lines; safe to run again");
  import->footer(
      "CSV: a header row, then one row per record. The columns are\n  " +
      absl::StrJoin(std::begin(kImportColumns), std::end(kImportColumns), ", ") +
      "\nrequirements, kind, title, uri and collect_time are required; requirements are\n"
      "separated by ';' (5.1.a;5.1.c), labels are k=v;k=v, times RFC 3339.\n"
      "JSON Lines: one object per line with the same keys, requirements an array, labels an\n"
      "object. Rows without a request_id get one from their content, so importing the same\n"
      "file again writes nothing new while the server remembers request ids (7 days by default);\n"
      "rows with an external_id are recognised for ever, and a changed one supersedes the old.\n\n"
      "Example: compliancectl evidence import hr-training.csv --source workday\n");
  import->add_option("file", args->path, "the file; - reads stdin (then give --format)")
      ->required();
  import->add_option("--format", args->format, "csv or jsonl; default by the file's extension")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  import->add_option("--source", args->source, "source of rows that name none; default manual");
  import->add_option("--batch-size", args->batch_size, "rows per BatchCreateEvidence call")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  import->callback([&, args] { exit_code = Import(options, *args);
});
}  // namespace compliance::cli

}  // namespace compliance::cli
