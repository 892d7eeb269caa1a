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
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

/// Prints a message as indented proto JSON, zero values included, for scripts.
void PrintJson(const google::protobuf::Message& message, std::ostream& out);

/// RFC 3339 in UTC, seconds precision; "-" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

/// Prints "error: CODE: message" and what to try next on stderr; returns exit code 1.
int ReportRpcError(const grpc::Status& status, const std::string& server);

}  // namespace compliance::cli
