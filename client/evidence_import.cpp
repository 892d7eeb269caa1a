#include "evidence_import.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "csv.h"
#include "evidence_values.h"

namespace compliance::cli {

const char* const kImportColumns[12] = {"requirements", "kind",        "title",  "uri",
                                        "description",  "sha256",      "source", "external_id",
                                        "collect_time", "expire_time", "labels", "request_id"};

namespace {

using nlohmann::json;

constexpr const char* kRequiredColumns[] = {"requirements", "kind", "title", "uri", "collect_time"};

bool IsImportColumn(absl::string_view name) {
  for (const char* column : kImportColumns) {
    if (name == column) return true;
  }
  return false;
}

std::string KnownColumns() {
  return absl::StrJoin(std::begin(kImportColumns), std::end(kImportColumns), ", ");
}

// The string member of `record` for a scalar column; nullptr for requirements and labels.
std::string* ScalarField(ImportRecord& record, absl::string_view column) {
  if (column == "kind") return &record.kind;
  if (column == "title") return &record.title;
  if (column == "uri") return &record.uri;
  if (column == "description") return &record.description;
  if (column == "sha256") return &record.sha256;
  if (column == "source") return &record.source;
  if (column == "external_id") return &record.external_id;
  if (column == "collect_time") return &record.collect_time;
  if (column == "expire_time") return &record.expire_time;
  if (column == "request_id") return &record.request_id;
  return nullptr;
}

std::vector<std::string> SplitRequirements(absl::string_view text) {
  return absl::StrSplit(text, absl::ByAnyChar("; ,\t\r\n"), absl::SkipEmpty());
}

// `k=v;k=v` → labels; keys and values are trimmed, empty entries skipped.
absl::Status ParseLabelList(absl::string_view text, std::map<std::string, std::string>& labels) {
  for (absl::string_view entry : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    auto label = ParseLabel(absl::StripAsciiWhitespace(entry));
    if (!label.ok()) return ColumnError("labels", label.status().message());
    std::string key(absl::StripAsciiWhitespace(label->first));
    if (!labels.emplace(key, std::string(absl::StripAsciiWhitespace(label->second))).second) {
      return ColumnError("labels", absl::StrCat("key \"", key, "\" appears twice"));
    }
  }
  return absl::OkStatus();
}

std::string HeaderName(absl::string_view cell) {
  std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(cell));
  for (char& c : name) {
    if (c == '-' || c == ' ') c = '_';
  }
  return name;
}

// A JSON scalar as text: strings as they are, numbers and booleans as written, null empty.
absl::StatusOr<std::string> JsonText(const std::string& key, const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return std::string();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return ColumnError(key, "must be a string");
}

absl::StatusOr<ImportRecord> JsonRecord(absl::string_view line) {
  const json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return absl::InvalidArgumentError("not valid JSON");
  if (!object.is_object()) return absl::InvalidArgumentError("not a JSON object");
  std::vector<std::string> unknown;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!IsImportColumn(it.key())) unknown.push_back(absl::StrCat("\"", it.key(), "\""));
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown key", unknown.size() > 1 ? "s " : " ",
                                                   absl::StrJoin(unknown, ", "), "; the keys are ",
                                                   KnownColumns()));
  }
  ImportRecord record;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (key == "requirements") {
      if (value.is_string()) {
        record.requirements = SplitRequirements(value.get<std::string>());
      } else if (value.is_array()) {
        for (const auto& item : value) {
          if (!item.is_string()) return ColumnError(key, "must be an array of strings");
          record.requirements.push_back(item.get<std::string>());
        }
      } else if (!value.is_null()) {
        return ColumnError(key, "must be an array of strings");
      }
    } else if (key == "labels") {
      if (value.is_null()) continue;
      if (!value.is_object()) return ColumnError(key, "must be an object of strings");
      for (auto label = value.begin(); label != value.end(); ++label) {
        if (!label.value().is_string()) {
          return ColumnError(key,
                             absl::StrCat("the value of \"", label.key(), "\" must be a string"));
        }
        record.labels[label.key()] = label.value().get<std::string>();
      }
    } else {
      auto text = JsonText(key, value);
      if (!text.ok()) return text.status();
      *ScalarField(record, key) = std::move(*text);
    }
  }
  return record;
}

// The header row's column names, normalised: each a column of kImportColumns, none twice, and
// every required one there.
absl::StatusOr<std::vector<std::string>> ImportHeader(const CsvRecord& record) {
  std::vector<std::string> header;
  std::vector<std::string> unknown;
  std::set<std::string> seen;
  for (const auto& cell : record.fields) {
    std::string name = HeaderName(cell);
    if (!IsImportColumn(name)) unknown.push_back(absl::StrCat("\"", cell, "\""));
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", record.line, ": column \"", name, "\" appears twice"));
    }
    header.push_back(std::move(name));
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", record.line, ": unknown column", unknown.size() > 1 ? "s " : " ",
                     absl::StrJoin(unknown, ", "), "; the columns are ", KnownColumns()));
  }
  std::vector<std::string> missing;
  for (const char* column : kRequiredColumns) {
    if (seen.count(column) == 0) missing.push_back(column);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", record.line, ": the header lacks the required column",
                     missing.size() > 1 ? "s " : " ", absl::StrJoin(missing, ", ")));
  }
  return header;
}

// One row under `header`: its record, or why the row cannot be read.
ImportRow CsvImportRow(const CsvRecord& csv, const std::vector<std::string>& header) {
  ImportRow row{csv.line, ImportRecord{}};
  if (csv.fields.size() != header.size()) {
    row.record = absl::InvalidArgumentError(absl::StrCat(
        "has ", csv.fields.size(), " fields but the header has ", header.size(), " columns"));
    return row;
  }
  ImportRecord& record = *row.record;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string& value = csv.fields[c];
    if (header[c] == "requirements") {
      record.requirements = SplitRequirements(value);
    } else if (header[c] == "labels") {
      if (auto status = ParseLabelList(value, record.labels); !status.ok()) {
        row.record = status;
        break;
      }
    } else {
      *ScalarField(record, header[c]) = value;
    }
  }
  return row;
}

}  // namespace

absl::Status ColumnError(absl::string_view column, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(column, ": ", problem));
}

absl::StatusOr<ImportFormat> ChooseImportFormat(const std::string& path,
                                                const std::string& format_flag) {
  std::string format = format_flag;
  if (format.empty()) {
    const std::string extension = std::filesystem::path(path).extension().string();
    if (!extension.empty()) format = extension.substr(1);
  }
  format = absl::AsciiStrToLower(format);
  if (format == "csv") return ImportFormat::kCsv;
  if (format == "jsonl" || format == "ndjson") return ImportFormat::kJsonl;
  if (!format_flag.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", format_flag, "\" is not a format; use csv or jsonl"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the format of \"", path,
                   "\" from its name; add --format csv or --format jsonl"));
}

absl::StatusOr<std::vector<ImportRow>> ParseCsvImport(absl::string_view text) {
  auto records = ParseCsv(text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the file is empty; it needs a header row naming columns such as ", KnownColumns()));
  }
  auto header = ImportHeader(records->front());
  if (!header.ok()) return header.status();
  std::vector<ImportRow> rows;
  for (size_t r = 1; r < records->size(); ++r) rows.push_back(CsvImportRow((*records)[r], *header));
  return rows;
}

std::vector<ImportRow> ParseJsonlImport(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<ImportRow> rows;
  size_t line = 0;
  for (absl::string_view content : absl::StrSplit(text, '\n')) {
    ++line;
    absl::ConsumeSuffix(&content, "\r");
    if (absl::StripAsciiWhitespace(content).empty()) continue;
    rows.push_back(ImportRow{line, JsonRecord(content)});
  }
  return rows;
}

}  // namespace compliance::cli
