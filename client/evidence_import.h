#pragma once

#include <grpcpp/support/status.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "compliance/v1/evidence.pb.h"

namespace compliance::cli {

/// The columns of a CSV import (and the keys of a JSON Lines import).
extern const char* const kImportColumns[12];

enum class ImportFormat { kCsv, kJsonl };

/// `--format` when given (`csv` or `jsonl`), else by the file's extension (.csv; .jsonl,
/// .ndjson); an unknown extension is INVALID_ARGUMENT asking for --format.
absl::StatusOr<ImportFormat> ChooseImportFormat(const std::string& path,
                                                const std::string& format_flag);

/// One row of an import file as written, before any value is interpreted.
struct ImportRecord {
  std::vector<std::string> requirements;  ///< as written: short or full names
  std::string kind;
  std::string title;
  std::string uri;
  std::string description;
  std::string sha256;
  std::string source;
  std::string external_id;
  std::string collect_time;
  std::string expire_time;
  std::map<std::string, std::string> labels;
  std::string request_id;
};

/// A row of the file and the line it starts on: the record, or why it could not be read.
struct ImportRow {
  size_t line = 0;
  absl::StatusOr<ImportRecord> record;
};

/// Reads a CSV import: a header row naming columns of kImportColumns (any order, any case),
/// then one record per row. `requirements` are separated by `;`, `,` or spaces, `labels` are
/// `k=v;k=v`. Unknown, repeated or missing required columns and malformed CSV are errors of
/// the whole file; a row with the wrong number of fields or bad labels is an error of that row.
absl::StatusOr<std::vector<ImportRow>> ParseCsvImport(absl::string_view text);

/// Reads JSON Lines: one object per line with the keys of kImportColumns, `requirements` an
/// array of strings, `labels` an object of strings. Blank lines are skipped; a line that is not
/// such an object is an error of that row.
std::vector<ImportRow> ParseJsonlImport(absl::string_view text);

/// Turns a record into a create request and validates it as the server would at `now`.
/// Short requirement names are expanded, `source` falls back to `default_source`, the kind
/// is parsed by ParseEvidenceKind, times are RFC 3339, `collect_time` is required (a default
/// of "now" would make a re-run import different). Without a `request_id` the record gets
/// `import-` + the first 40 hex digits of the SHA-256 of its canonical content, so the same
/// row imported again is recognised. Errors name the column, e.g. `kind: "x" is not ...`.
absl::StatusOr<v1::CreateEvidenceRequest> ToCreateRequest(const ImportRecord& record,
                                                          const std::string& default_source,
                                                          absl::Time now);

/// Splits requests into batches of at most `batch_size`, in order. A request whose
/// (source, external_id) or request_id is already in the current batch starts a new batch,
/// since the server refuses both within one batch. Returns indexes into `requests`.
std::vector<std::vector<size_t>> PlanBatches(const std::vector<v1::CreateEvidenceRequest>& requests,
                                             size_t batch_size);

/// The `i` of the batch item a server error is about: from the field its google.rpc.BadRequest
/// detail names (`requests[i]...`), if any.
std::optional<size_t> BatchItemIndex(const grpc::Status& status);

/// What an import did.
struct ImportSummary {
  int64_t created = 0;
  int64_t deduplicated = 0;
  int64_t superseded = 0;
  int64_t rejected = 0;

  /// Counts a successful batch: deduplicated items, created ones, and the created ones that
  /// superseded an earlier record.
  void Add(const v1::BatchCreateEvidenceResponse& response);
  /// `created N, deduplicated N, superseded N, rejected N`.
  std::string Line() const;
  /// The same as a JSON object.
  std::string Json() const;
};

}  // namespace compliance::cli
