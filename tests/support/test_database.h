#pragma once

#include <pqxx/pqxx>
#include <string>

namespace compliance::testing {

/// The throwaway PostgreSQL the test command started (TEST_DATABASE_URL); fails the test
/// loudly when it is missing rather than skipping.
std::string AdminDatabaseUrl();

/// A fresh, empty database on the test PostgreSQL, dropped again when this goes away, so
/// that every test starts from nothing and tests can run in parallel.
class TestDatabase {
 public:
  /// With `migrate`, the schema and catalog are applied before the test starts.
  explicit TestDatabase(bool migrate = true);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// Connection string of this database.
  const std::string& url() const { return url_; }

  /// Runs one SQL statement and returns its result (for setting up and inspecting state).
  pqxx::result Exec(const std::string& sql) const;

  /// The one value a query answers (a count, say), as `T`.
  template <typename T>
  T Value(const std::string& sql) const {
    return Exec(sql)[0][0].as<T>();
  }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace compliance::testing
