#include "store/migrations.h"

#include <spdlog/spdlog.h>

#include <map>
#include <pqxx/pqxx>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

// Any constant shared by all server processes of this schema.
constexpr int64_t kMigrationLockKey = 0x636f6d706c69616e;  // "complian"

constexpr char kCreateLedger[] = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     PRIMARY KEY,
    file_name  text        NOT NULL,
    sha256     text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  ))sql";
constexpr char kSelectApplied[] = "SELECT version, sha256 FROM schema_migrations";
constexpr char kRecordApplied[] =
    "INSERT INTO schema_migrations (version, file_name, sha256) VALUES ($1, $2, $3)";

int ApplyPending(pqxx::connection& connection, const std::vector<Migration>& migrations) {
  {
    // Only when missing: a role that may not create tables (the one that serves, under least
    // privilege) still checks that the schema is current.
    pqxx::work work(connection);
    if (work.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>()) {
      work.exec0(kCreateLedger);
    }
    work.commit();
  }
  std::map<int, std::string> applied;
  {
    pqxx::read_transaction read(connection);
    for (const auto& row : read.exec(kSelectApplied)) {
      applied[row[0].as<int>()] = row[1].as<std::string>();
    }
  }
  int count = 0;
  for (const auto& migration : migrations) {
    const std::string checksum = Sha256Hex(migration.sql);
    if (auto it = applied.find(migration.version); it != applied.end()) {
      if (it->second != checksum) {
        throw std::runtime_error(
            absl::StrCat("migration ", migration.file_name, " was changed after it was applied"));
      }
      continue;
    }
    pqxx::work work(connection);
    work.exec0(migration.sql);
    work.exec_params0(kRecordApplied, migration.version, migration.file_name, checksum);
    work.commit();
    spdlog::info("applied migration {}", migration.file_name);
    ++count;
  }
  return count;
}

}  // namespace

absl::StatusOr<int> ApplyMigrations(const std::string& database_url,
                                    const std::vector<Migration>& migrations) {
  try {
    pqxx::connection connection(database_url);
    // Session-level lock: held across the per-migration transactions, released on close.
    pqxx::nontransaction(connection).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
    const int count = ApplyPending(connection, migrations);
    pqxx::nontransaction(connection)
        .exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    return count;
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(absl::StrCat("database unreachable: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("migration failed: ", e.what()));
  }
}

}  // namespace compliance
