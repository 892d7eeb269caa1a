#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

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

/// INVALID_ARGUMENT about one column of a row: `<column>: <problem>`.
absl::Status ColumnError(absl::string_view column, absl::string_view problem);

/// Reads a CSV import: a header row naming columns of kImportColumns (any order, any case),
/// then one record per row. `requirements` are separated by `;`, `,` or spaces, `labels` are
/// `k=v;k=v`. Unknown, repeated or missing required columns and malformed CSV are errors of
/// the whole file; a row with the wrong number of fields or bad labels is an error of that row.
absl::StatusOr<std::vector<ImportRow>> ParseCsvImport(absl::string_view text);

/// Reads JSON Lines: one object per line with the keys of kImportColumns, `requirements` an
/// array of strings, `labels` an object of strings. Blank lines are skipped; a line that is not
/// such an object is an error of that row.
std::vector<ImportRow> ParseJsonlImport(absl::string_view text);

}  // namespace compliance::cli
