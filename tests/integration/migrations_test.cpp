#include "store/migrations.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

int CountRows(const TestDatabase& db, const std::string& table) {
  return db.Value<int>("SELECT count(*) FROM " + table);
}

TEST(Migrations, AppliedTwiceChangesNothing) {
  TestDatabase db(/*migrate=*/false);
  const auto& migrations = EmbeddedMigrations();
  ASSERT_GE(migrations.size(), 3u);
  auto first = ApplyMigrations(db.url(), migrations);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, static_cast<int>(migrations.size()));
  const std::string schema_query =
      "SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, column_name) "
      "FROM information_schema.columns WHERE table_schema = 'public'";
  const std::string schema_before = db.Value<std::string>(schema_query);

  auto second = ApplyMigrations(db.url(), migrations);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, 0);
  EXPECT_EQ(db.Value<std::string>(schema_query), schema_before);
  EXPECT_EQ(CountRows(db, "schema_migrations"), static_cast<int>(migrations.size()));
  EXPECT_EQ(CountRows(db, "requirements"), 8);
}

TEST(Migrations, TwoServerProcessesMigratingAtOnceApplyEachOnce) {
  TestDatabase db(/*migrate=*/false);
  const std::vector<std::string> env = {"DATABASE_URL=" + db.url()};
  int out_a = -1, out_b = -1;
  const pid_t a = SpawnProcess({ServerBinary(), "migrate"}, env, &out_a);
  const pid_t b = SpawnProcess({ServerBinary(), "migrate"}, env, &out_b);
  EXPECT_EQ(WaitProcess(a), 0);
  EXPECT_EQ(WaitProcess(b), 0);
  close(out_a);
  close(out_b);
  EXPECT_EQ(CountRows(db, "schema_migrations"), static_cast<int>(EmbeddedMigrations().size()));
  EXPECT_EQ(CountRows(db, "requirements"), 8);
}

// Container entrypoints and Kubernetes Jobs put the flags after the subcommand.
TEST(Migrations, MigrateTakesItsFlagsAfterTheSubcommand) {
  TestDatabase db(/*migrate=*/false);
  const auto result = RunProcess({ServerBinary(), "migrate", "--database-url", db.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(CountRows(db, "requirements"), 8);
}

TEST(Migrations, RefusesAMigrationEditedAfterItWasApplied) {
  TestDatabase db;
  std::vector<Migration> edited = EmbeddedMigrations();
  const std::string changed = std::string(edited[0].sql) + "\n-- edited\n";
  edited[0].sql = changed.c_str();
  auto result = ApplyMigrations(db.url(), edited);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("changed after it was applied"), std::string::npos);
}

}  // namespace
}  // namespace compliance::testing
