#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "store/audit_store.h"
#include "store/statements.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

// The sealer and proof readers run their statements on long-lived sessions, which plan them
// once and keep the plan. A new log has no statistics yet, and a plan chosen then must stay
// good as the log grows: the lookups probe the primary keys rather than scan the tables.
// An index scan, index-only scan or bitmap index scan of `index` somewhere in `plan`.
bool ReadsIndex(const std::string& plan, const std::string& index) {
  return plan.find("Scan using " + index) != std::string::npos ||
         plan.find("Bitmap Index Scan on " + index) != std::string::npos;
}

class AuditPlansTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PrepareStatements(connection_);
    for (int i = 1; i <= 40; ++i) {
      pqxx::work work(connection_);
      AppendAuditEntries(work, {{"hr-sync", "/compliance.v1.EvidenceService/CreateEvidence",
                                 "evidence/" + std::to_string(i), "", "", "{}"}});
      work.commit();
    }
    while (AuditStore::SealBatch(connection_, 7) > 0) {
    }
  }

  // The plan a session settles on after its first executions, as EXPLAIN shows it.
  std::string GenericPlan(const std::string& execute) {
    pqxx::work work(connection_);
    work.exec0("SET LOCAL plan_cache_mode = force_generic_plan");
    std::string plan;
    for (const auto& row : work.exec("EXPLAIN " + execute))
      plan += row[0].c_str() + std::string("\n");
    return plan;
  }

  TestDatabase db_;
  pqxx::connection connection_{db_.url()};
};

TEST_F(AuditPlansTest, TreeNodesAreProbedByKey) {
  const std::string plan = GenericPlan("EXECUTE audit_tree_nodes('{0,1,3}', '{39,18,4}')");
  EXPECT_TRUE(ReadsIndex(plan, "audit_tree_pkey")) << plan;
  EXPECT_EQ(plan.find("Seq Scan on audit_tree"), std::string::npos) << plan;
}

TEST_F(AuditPlansTest, SealedEntriesAreReachedByKey) {
  const std::string plan = GenericPlan("EXECUTE audit_seal('[]', '[]', 40, 'x', 1, 40)");
  EXPECT_TRUE(ReadsIndex(plan, "audit_pending_pkey")) << plan;
  EXPECT_EQ(plan.find("Seq Scan on audit_pending"), std::string::npos) << plan;
}

}  // namespace

}  // namespace compliance::testing
