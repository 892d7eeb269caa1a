#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/grpcpp.h>

#include <iosfwd>
#include <string>
#include <vector>

namespace compliance::cli {

/// A plain-text table with aligned columns (widths counted in code points).
class Table {
 public:
  explicit Table(std::vector<std::string> header) { AddRow(std::move(header)); }
  void AddRow(std::vector<std::string> row) { AddRow(std::move(row), "", ""); }
  /// A row printed between `before` and `after` (e.g. ANSI colour codes), which take no width.
  void AddRow(std::vector<std::string> row, std::string before, std::string after);
  void Print(std::ostream& out) const;

 private:
  struct Row {
    std::vector<std::string> cells;
    std::string before;
    std::string after;
  };
  std::vector<Row> rows_;
};

/// At most `limit` code points of `text`, with "…" when cut.
std::string Shorten(const std::string& text, size_t limit);

/// Prints a message as indented proto JSON, zero values included, for scripts.
void PrintJson(const google::protobuf::Message& message, std::ostream& out);

/// A message as proto JSON on one line, zero values included.
std::string JsonText(const google::protobuf::Message& message);

/// Prints a message as proto JSON on one line, zero values included (JSON Lines), and flushes.
void PrintJsonLine(const google::protobuf::Message& message, std::ostream& out);

/// RFC 3339 in UTC, seconds precision; "-" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

/// True when stdout is a terminal (isatty): only then do tables use marks and colour.
bool StdoutIsTerminal();

/// False when a non-empty NO_COLOR is set (https://no-color.org).
bool ColorAllowed();

/// Prints "error: CODE: message" and what to try next on stderr; returns exit code 1.
int ReportRpcError(const grpc::Status& status, const std::string& server);

}  // namespace compliance::cli
