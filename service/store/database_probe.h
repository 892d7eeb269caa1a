#pragma once

#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace compliance {

/// Answers "is PostgreSQL reachable right now?" over a connection of its own, so that a busy
/// pool never makes a healthy database look down.
class DatabaseProbe {
 public:
  explicit DatabaseProbe(std::string database_url) : database_url_(std::move(database_url)) {}

  /// Runs a trivial query, reconnecting first when the last attempt failed.
  bool Check();

 private:
  const std::string database_url_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace compliance
