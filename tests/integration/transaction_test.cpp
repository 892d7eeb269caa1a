#include "store/transaction.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

// A setting as the transaction sees it, in milliseconds ("2999ms" -> 2999, "0" -> 0).
int64_t Milliseconds(pqxx::transaction_base& work, const std::string& setting) {
  return std::stoll(work.exec1("SELECT current_setting('" + setting + "')")[0].c_str());
}

class TransactionTest : public ::testing::Test {
 protected:
  TransactionTest() { db_.Exec("CREATE TABLE scratch (n int)"); }

  TestDatabase db_;
  // One connection, so that every transaction below runs on the same one.
  ConnectionPool pool_{db_.url(), 1, absl::Seconds(5), &PrepareStatements};
};

TEST_F(TransactionTest, StartIsNowOfTheTransaction) {
  auto seen = RunTransactionAt<std::pair<absl::Time, absl::Time>>(
      pool_, absl::Now() + absl::Seconds(5),
      [](pqxx::dbtransaction& work,
         absl::Time start) -> absl::StatusOr<std::pair<absl::Time, absl::Time>> {
        const auto now = work.exec1("SELECT ts_to_us(now())")[0].as<int64_t>();
        return std::make_pair(start, absl::FromUnixMicros(now));
      });
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->first, seen->second);
  EXPECT_LT(absl::AbsDuration(seen->first - absl::Now()), absl::Seconds(5));
}

TEST_F(TransactionTest, StatementsAndLockWaitsAreBoundedByTheDeadlineUntilTheEnd) {
  auto bounds = RunTransaction<std::pair<int64_t, int64_t>>(
      pool_, absl::Now() + absl::Seconds(3),
      [](pqxx::dbtransaction& work) -> absl::StatusOr<std::pair<int64_t, int64_t>> {
        return std::make_pair(Milliseconds(work, "statement_timeout"),
                              Milliseconds(work, "lock_timeout"));
      });
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_GT(bounds->first, 2000);
  EXPECT_LE(bounds->first, 3000);
  EXPECT_EQ(bounds->second, bounds->first);
  // The bounds were the transaction's own: a read after it on the connection has no lock bound.
  auto after = RunRead(pool_, absl::Now() + absl::Seconds(5),
                       [](pqxx::transaction_base& work) -> absl::StatusOr<int64_t> {
                         return Milliseconds(work, "lock_timeout");
                       });
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, 0);
}

TEST_F(TransactionTest, ALockWaitPastTheDeadlineIsDeadlineExceededAndTheConnectionStaysUsable) {
  db_.Exec("INSERT INTO scratch VALUES (1)");
  pqxx::connection holder(db_.url());
  pqxx::work holding(holder);
  holding.exec("SELECT n FROM scratch FOR UPDATE");
  const absl::Time started = absl::Now();
  auto waited = RunTransaction<bool>(pool_, started + absl::Milliseconds(300),
                                     [](pqxx::dbtransaction& work) -> absl::StatusOr<bool> {
                                       work.exec("SELECT n FROM scratch FOR UPDATE");
                                       return true;
                                     });
  EXPECT_EQ(waited.status().code(), absl::StatusCode::kDeadlineExceeded) << waited.status();
  holding.abort();
  auto next =
      RunTransaction<int64_t>(pool_, absl::Now() + absl::Seconds(5),
                              [](pqxx::dbtransaction& work) -> absl::StatusOr<int64_t> {
                                return work.exec1("SELECT count(*) FROM scratch")[0].as<int64_t>();
                              });
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, 1);
}

TEST_F(TransactionTest, ABodyThatFailsRollsBackAndTheNextTransactionStartsClean) {
  auto failed = RunTransaction<bool>(pool_, absl::Now() + absl::Seconds(5),
                                     [](pqxx::dbtransaction& work) -> absl::StatusOr<bool> {
                                       work.exec("INSERT INTO scratch VALUES (1)");
                                       return absl::FailedPreconditionError("no");
                                     });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
  auto broken = RunTransaction<bool>(pool_, absl::Now() + absl::Seconds(5),
                                     [](pqxx::dbtransaction& work) -> absl::StatusOr<bool> {
                                       work.exec("INSERT INTO scratch VALUES (2)");
                                       work.exec("SELECT 1/0");
                                       return true;
                                     });
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInternal);
  auto written = RunTransaction<bool>(pool_, absl::Now() + absl::Seconds(5),
                                      [](pqxx::dbtransaction& work) -> absl::StatusOr<bool> {
                                        work.exec("INSERT INTO scratch VALUES (3)");
                                        return true;
                                      });
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(db_.Value<std::string>("SELECT string_agg(n::text, ',') FROM scratch"), "3");
}

}  // namespace
}  // namespace compliance::testing
