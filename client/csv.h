#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace compliance::cli {

/// One record of a CSV file and the line it starts on (1-based).
struct CsvRecord {
  size_t line = 0;
  std::vector<std::string> fields;
};

/// Parses RFC 4180 CSV: comma-separated fields, records ended by CRLF, LF or CR, fields in
/// double quotes may hold commas, line breaks and doubled quotes (`""` → `"`). A leading UTF-8
/// byte order mark and blank lines are skipped. An unclosed quote, or text after a closing
/// quote, is INVALID_ARGUMENT naming the line.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

}  // namespace compliance::cli
