#include "csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace compliance::cli {
namespace {

// Reads records off the text one at a time, counting lines as it goes (a quoted field may span
// several), so that every record and every error can name the line it is on.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text) : text_(text) {}

  bool AtEnd() const { return i_ >= text_.size(); }

  // The next record, blank or not, and its line break; `quoted` says whether a field of it was
  // in quotes (a quoted empty field is not a blank line).
  absl::StatusOr<CsvRecord> Next(bool& quoted) {
    CsvRecord record;
    record.line = line_;
    quoted = false;
    while (true) {
      std::string field;
      if (At('"')) {
        quoted = true;
        if (auto status = QuotedField(field); !status.ok()) return status;
      } else {
        while (!AtFieldEnd()) field += text_[i_++];
      }
      record.fields.push_back(std::move(field));
      if (!At(',')) break;
      ++i_;
    }
    ConsumeBreak();
    return record;
  }

 private:
  bool At(char c) const { return i_ < text_.size() && text_[i_] == c; }
  bool AtFieldEnd() const { return AtEnd() || At(',') || At('\r') || At('\n'); }

  // A field in quotes, from its opening quote to just past its closing one: `""` is a quote,
  // commas and line breaks are text.
  absl::Status QuotedField(std::string& field) {
    const size_t opened = line_;
    ++i_;
    while (true) {
      if (AtEnd()) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", opened, ": a quoted field is never closed"));
      }
      const char c = text_[i_++];
      if (c == '"') {
        if (!At('"')) break;
        field += '"';
        ++i_;
        continue;
      }
      if (c == '\n' || (c == '\r' && !At('\n'))) ++line_;
      field += c;
    }
    if (!AtFieldEnd()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_, ": unexpected text after a closing quote; inside a ",
                       "quoted field write a quote as \"\""));
    }
    return absl::OkStatus();
  }

  // Consumes one line break (CRLF, LF or CR), if there is one.
  void ConsumeBreak() {
    if (At('\r')) {
      ++i_;
      if (At('\n')) ++i_;
      ++line_;
    } else if (At('\n')) {
      ++i_;
      ++line_;
    }
  }

  absl::string_view text_;
  size_t i_ = 0;
  size_t line_ = 1;
};

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> records;
  CsvReader reader(text);
  while (!reader.AtEnd()) {
    bool quoted = false;
    auto record = reader.Next(quoted);
    if (!record.ok()) return record.status();
    const bool blank = !quoted && record->fields.size() == 1 &&
                       absl::StripAsciiWhitespace(record->fields[0]).empty();
    if (!blank) records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace compliance::cli
