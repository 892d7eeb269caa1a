#include "test_database.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

#include "store/migrations.h"

namespace compliance::testing {

std::string AdminDatabaseUrl() {
  const char* url = std::getenv("TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "TEST_DATABASE_URL is not set: run the tests through scripts/test.sh, which starts "
        "a throwaway PostgreSQL");
  }
  return url;
}

TestDatabase::TestDatabase(bool migrate) {
  std::random_device random;
  name_ = "t_" + std::to_string(random()) + std::to_string(random());
  {
    pqxx::connection admin(AdminDatabaseUrl());
    pqxx::nontransaction(admin).exec0("CREATE DATABASE " + name_);
  }
  // In a key=value connection string the last occurrence of a keyword wins.
  url_ = AdminDatabaseUrl() + " dbname=" + name_;
  if (migrate) {
    auto applied = ApplyMigrations(url_, EmbeddedMigrations());
    if (!applied.ok()) throw std::runtime_error(std::string(applied.status().message()));
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(AdminDatabaseUrl());
    pqxx::nontransaction(admin).exec0("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot drop test database " << name_ << ": " << e.what();
  }
}

pqxx::result TestDatabase::Exec(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::work work(connection);
  pqxx::result result = work.exec(sql);
  work.commit();
  return result;
}

}  // namespace compliance::testing
