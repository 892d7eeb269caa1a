#include "output.h"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "api/status_names.h"
#include "domain/text.h"

namespace compliance::cli {

void Table::AddRow(std::vector<std::string> row, std::string before, std::string after) {
  rows_.push_back(Row{std::move(row), std::move(before), std::move(after)});
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths;
  for (const auto& [row, before, after] : rows_) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], CodePointCount(row[i]).value_or(row[i].size()));
    }
  }
  for (const auto& [row, before, after] : rows_) {
    std::string line = before;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(widths[i] - CodePointCount(row[i]).value_or(row[i].size()) + 2, ' ');
      }
    }
    out << line << after << '\n';
  }
}

std::string Shorten(const std::string& text, size_t limit) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points++ == limit - 1) {
      size_t rest = 0;
      for (size_t j = i; j < text.size(); ++j) {
        if ((static_cast<unsigned char>(text[j]) & 0xC0) != 0x80) ++rest;
      }
      if (rest > 1) return text.substr(0, i) + "…";
      break;
    }
  }
  return text;
}

void PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  out << json;
  if (json.empty() || json.back() != '\n') out << '\n';
}

std::string JsonText(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void PrintJsonLine(const google::protobuf::Message& message, std::ostream& out) {
  out << JsonText(message) << '\n' << std::flush;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(timestamp.seconds()),
                          absl::UTCTimeZone());
}

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) == 1; }

// https://no-color.org: a non-empty NO_COLOR turns colour off.
bool ColorAllowed() {
  const char* no_color = std::getenv("NO_COLOR");
  return no_color == nullptr || *no_color == '\0';
}

int ReportRpcError(const grpc::Status& status, const std::string& server) {
  std::cerr << "error: " << StatusCodeName(status.error_code()) << ": " << status.error_message()
            << '\n';
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      std::cerr << "hint: is compliance-server running at " << server
                << "? Set --server or COMPLIANCE_SERVER.\n";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      std::cerr << "hint: the server did not answer in time; retry or raise --timeout.\n";
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      std::cerr << "hint: pass a token with --token or COMPLIANCE_TOKEN.\n";
      break;
    case grpc::StatusCode::ABORTED:
      std::cerr << "hint: it changed since you read it; get it again and retry.\n";
      break;
    case grpc::StatusCode::NOT_FOUND:
      std::cerr << "hint: `compliancectl "
                << (absl::StrContains(status.error_message(), "evidence/")  ? "evidence"
                    : absl::StrContains(status.error_message(), "actions/") ? "actions"
                                                                            : "requirements")
                << " list` shows what exists.\n";
      break;
    default:
      break;
  }
  return 1;
}

}  // namespace compliance::cli
