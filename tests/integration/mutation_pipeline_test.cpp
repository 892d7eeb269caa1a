// The one pipeline every mutation runs through (app/mutation.h): claim, change, journal,
// commit — all in one transaction, or nothing.
#include <gtest/gtest.h>

#include <vector>

#include "app/mutation.h"
#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"
#include "test_mutations.h"

namespace compliance::testing {
namespace {

class MutationPipelineTest : public ::testing::Test {
 protected:
  // A mutation under request_id `id` whose change is `apply`; it "produces" the id "p-<id>".
  absl::StatusOr<std::string> Run(const std::string& id, const std::string& hash,
                                  std::function<absl::Status(UnitOfWork&, Journal&)> apply) {
    SingleMutation<std::string> mutation;
    mutation.key = RequestKey{id, hash, "request_id"};
    mutation.replay = [&](UnitOfWork&, const std::vector<std::string>& ids) {
      ++replays_;
      return absl::StatusOr<std::string>("replayed " + ids.at(0));
    };
    mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<std::string> {
      if (auto status = apply(unit, journal); !status.ok()) return status;
      return "applied";
    };
    mutation.produced = [](const std::string&) {
      return std::vector<std::string>{"00000000-0000-4000-8000-000000000001"};
    };
    return RunMutation(pool_, TesterContext("TestMutation"), mutation);
  }

  static absl::Status Audited(UnitOfWork&, Journal& journal) {
    journal.audit.push_back({"tester", "/test/TestMutation", "things/1", "r", "", "{\"a\":1}"});
    return absl::OkStatus();
  }

  int Count(const std::string& table) { return db_.Value<int>("SELECT count(*) FROM " + table); }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 4, absl::Seconds(10), &PrepareStatements};
  int replays_ = 0;
};

TEST_F(MutationPipelineTest, TheJournalIsWrittenWithTheChangeAndARepeatIsReplayed) {
  auto first = Run("once", "h", Audited);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, "applied");
  EXPECT_EQ(Count("audit_pending"), 1);
  EXPECT_EQ(db_.Exec("SELECT resource, after_json FROM audit_pending")[0][1].as<std::string>(),
            "{\"a\":1}");
  EXPECT_EQ(
      db_.Exec("SELECT result_ids::text FROM idempotency_keys WHERE request_id = 'once'")[0][0]
          .as<std::string>(),
      "{00000000-0000-4000-8000-000000000001}");

  auto again = Run("once", "h", [](UnitOfWork&, Journal&) {
    ADD_FAILURE() << "a repeat must not run the change";
    return absl::OkStatus();
  });
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, "replayed 00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(replays_, 1);
  EXPECT_EQ(Count("audit_pending"), 1) << "a replay writes no event";

  EXPECT_EQ(Run("once", "other", Audited).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(MutationPipelineTest, AFailedChangeLeavesNeitherClaimNorJournal) {
  auto failed = Run("k", "h", [](UnitOfWork& unit, Journal& journal) {
    Audited(unit, journal).IgnoreError();
    return absl::FailedPreconditionError("thing: is not ready");
  });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("audit_pending"), 0);
  EXPECT_EQ(Count("idempotency_keys"), 0);
  // The request_id is free again, even for another request.
  auto later = Run("k", "other", Audited);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(*later, "applied");
}

TEST_F(MutationPipelineTest, AWriteConflictRunsTheWholeUnitAgainContended) {
  std::vector<bool> contended;
  auto result = Run("c", "h", [&](UnitOfWork& unit, Journal& journal) {
    contended.push_back(Contended(unit));
    if (contended.size() == 1) return WriteConflict("a concurrent writer of the key");
    return Audited(unit, journal);
  });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(contended, (std::vector<bool>{false, true}));
  EXPECT_EQ(Count("audit_pending"), 1);
  EXPECT_EQ(Count("idempotency_keys"), 1);
}

TEST_F(MutationPipelineTest, ConflictsWithoutEndAreUnavailable) {
  int attempts = 0;
  auto result = Run("x", "h", [&](UnitOfWork&, Journal&) {
    ++attempts;
    return WriteConflict("always");
  });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(attempts, 5);
  EXPECT_EQ(Count("idempotency_keys"), 0);
}

}  // namespace
}  // namespace compliance::testing
