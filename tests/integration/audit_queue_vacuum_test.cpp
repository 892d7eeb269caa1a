// The sealer's queue is vacuumed as the sealer moves entries out of it, by a role that may.
#include "server/audit_queue_vacuum.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <regex>
#include <thread>

#include "store/audit_pending_vacuum.h"
#include "store/service_role.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

class AuditQueueVacuumTest : public ::testing::Test {
 protected:
  // Pages the sealer's read of the queue touches when it walks the primary key in order, as it
  // does while the queue is large (a near-empty queue may be read whole instead, which is as
  // cheap then), from EXPLAIN's buffer counts.
  int64_t PagesReadForASeal() {
    const auto plan = db_.Exec(
        "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; "
        "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) "
        "SELECT * FROM audit_pending ORDER BY id LIMIT 1000");
    // The second line is the top node's: "Buffers: shared hit=N read=M".
    const std::string buffers = plan[1][0].as<std::string>();
    const std::regex counts("(hit|read)=([0-9]+)");
    int64_t pages = 0;
    for (std::sregex_iterator it(buffers.begin(), buffers.end(), counts), end; it != end; ++it) {
      pages += std::stoll((*it)[2]);
    }
    return pages;
  }

  // What seals leave behind: `moved` entries inserted and deleted, and two still pending.
  void QueueAfterSeals(int moved) {
    db_.Exec(
        "INSERT INTO audit_pending (actor, method, resource, after_json) "
        "SELECT 'hr-sync', 'CreateEvidence', 'evidence/' || n, '{}' "
        "FROM generate_series(1, " +
        std::to_string(moved) + ") AS n");
    db_.Exec("DELETE FROM audit_pending");
    db_.Exec(
        "INSERT INTO audit_pending (actor, method, resource, after_json) "
        "VALUES ('a', 'm', 'r1', '{}'), ('a', 'm', 'r2', '{}')");
  }

  static bool WaitFor(AuditQueueVacuum& vacuum, int64_t vacuums) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (vacuum.vacuums() < vacuums) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  TestDatabase db_;
};

TEST_F(AuditQueueVacuumTest, AfterEnoughMovedEntriesTheSealersReadStepsOverNoneOfThem) {
  QueueAfterSeals(20000);
  PagesReadForASeal();  // the first read marks the deleted entries' index items dead
  const int64_t before = PagesReadForASeal();
  AuditQueueVacuum vacuum(db_.url());
  vacuum.Start();
  vacuum.Moved(AuditQueueVacuum::kVacuumAfterMoved - 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(vacuum.vacuums(), 0) << "vacuumed before kVacuumAfterMoved entries were moved";
  vacuum.Moved(1);
  ASSERT_TRUE(WaitFor(vacuum, 1));
  const int64_t after = PagesReadForASeal();
  EXPECT_GT(before, 40);
  EXPECT_LT(after, 10) << "pages read before the vacuum: " << before;
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM audit_pending"), 2);
}

// A vacuum that truncated the queue would hold up every insert into it (migration 0014).
TEST_F(AuditQueueVacuumTest, VacuumsLeaveTheQueuesEmptyPagesInPlace) {
  EXPECT_EQ(db_.Exec("SELECT array_to_string(reloptions, ',') FROM pg_class "
                     "WHERE oid = 'audit_pending'::regclass")[0][0]
                .as<std::string>(),
            "vacuum_truncate=false");
}

TEST_F(AuditQueueVacuumTest, ARoleGrantedOnlyWhatServingNeedsLeavesTheQueueToAutovacuum) {
  std::random_device random;
  const std::string role = "svc_" + std::to_string(random());
  db_.Exec("CREATE ROLE " + role + " LOGIN");
  ASSERT_TRUE(GrantServiceRole(db_.url(), role).ok());
  {
    pqxx::connection owner(db_.url()), granted(db_.url() + " user=" + role);
    EXPECT_TRUE(MayVacuumAuditPending(owner));
    EXPECT_FALSE(MayVacuumAuditPending(granted));
    AuditQueueVacuum vacuum(db_.url() + " user=" + role);
    vacuum.Start();
    vacuum.Moved(AuditQueueVacuum::kVacuumAfterMoved);
    // Time to try; VACUUM as this role would only warn, and count as done.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    vacuum.Stop();
    EXPECT_EQ(vacuum.vacuums(), 0);
  }
  db_.Exec("DROP OWNED BY " + role);
  db_.Exec("DROP ROLE " + role);
}

}  // namespace
}  // namespace compliance::testing
