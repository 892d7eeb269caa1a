#include "csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace compliance::cli {

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> records;
  const size_t n = text.size();
  size_t i = 0;
  size_t line = 1;
  // Consumes one line break at `i` (CRLF, LF or CR), if there is one.
  const auto consume_break = [&] {
    if (i < n && text[i] == '\r') {
      ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      return true;
    }
    if (i < n && text[i] == '\n') {
      ++i;
      ++line;
      return true;
    }
    return false;
  };
  while (i < n) {
    CsvRecord record;
    record.line = line;
    bool quoted_any = false;
    while (true) {
      std::string field;
      if (i < n && text[i] == '"') {
        quoted_any = true;
        const size_t opened = line;
        ++i;
        while (true) {
          if (i >= n) {
            return absl::InvalidArgumentError(
                absl::StrCat("line ", opened, ": a quoted field is never closed"));
          }
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
          field += c;
          ++i;
        }
        if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", line, ": unexpected text after a closing quote; inside a ",
                           "quoted field write a quote as \"\""));
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') field += text[i++];
      }
      record.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      consume_break();
      break;
    }
    const bool blank = !quoted_any && record.fields.size() == 1 &&
                       absl::StripAsciiWhitespace(record.fields[0]).empty();
    if (!blank) records.push_back(std::move(record));
  }
  return records;
}

}  // namespace compliance::cli
