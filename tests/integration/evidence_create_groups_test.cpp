#include "app/evidence_create_groups.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <thread>

#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"
#include "test_evidence.h"
#include "test_mutations.h"

namespace compliance::testing {
namespace {

// An audit renderer that records the request_id of the create it renders.
AuditFn<Evidence> AuditorOf(const std::string& request_id) {
  return [request_id](const Evidence* /*before*/, const Evidence& after) {
    return AuditEntry{"tester", "/test", "evidence/" + after.id, request_id, "", "{}"};
  };
}

// Single creates through EvidenceCreateGroups, one group at a time. The first create is held
// at its link's foreign-key check by a transaction that locks the requirement, so that the
// test decides which creates queue behind it, as concurrent callers' do.
class EvidenceCreateGroupsTest : public ::testing::Test {
 protected:
  // Runs `held` and, once it waits for the requirement's lock, queues `queued`; then releases
  // the lock and waits for every answer (held's first).
  std::vector<absl::StatusOr<CreatedEvidence>> CreateBehindHeld(
      const NewEvidence& held, const std::vector<NewEvidence>& queued) {
    pqxx::connection holder(db_.url());
    pqxx::work lock(holder);
    lock.exec(
        "SELECT 1 FROM requirements WHERE framework = 'iso27001-2022' "
        "AND requirement_id = '5.1.f' FOR UPDATE");
    std::vector<NewEvidence> all{held};
    all.insert(all.end(), queued.begin(), queued.end());
    std::vector<absl::StatusOr<CreatedEvidence>> answers(all.size(), absl::UnknownError(""));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < all.size(); ++i) {
      threads.emplace_back([&, i] {
        answers[i] = creates_.Create(TesterContext("CreateEvidence"), all[i], {},
                                     AuditorOf(all[i].request_id));
      });
      if (i == 0) {
        while (LockWaiters() == 0) std::this_thread::yield();
      } else {
        while (creates_.Queued() < i) std::this_thread::yield();
      }
    }
    lock.commit();
    for (auto& thread : threads) thread.join();
    return answers;
  }

  int LockWaiters() {
    return db_
        .Exec(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")[0][0]
        .as<int>();
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 8, absl::Seconds(10), &PrepareStatements};
  EvidenceStore store_{pool_};
  EvidenceCommands commands_{pool_, store_};
  EvidenceCreateGroups creates_{commands_, GroupCommitLimits{1, 32}};
};

TEST_F(EvidenceCreateGroupsTest, CreatesThatQueueTogetherCommitInOneTransactionEachAsItsOwn) {
  std::vector<NewEvidence> queued;
  for (int i = 1; i <= 6; ++i) {
    queued.push_back(TrainingEvidence("row-" + std::to_string(i)));
    queued.back().request_id = "create-" + std::to_string(i);
  }
  auto answers = CreateBehindHeld(TrainingEvidence("row-0"), queued);
  std::set<absl::Time> queued_times;
  for (size_t i = 1; i < answers.size(); ++i) {
    ASSERT_TRUE(answers[i].ok()) << answers[i].status();
    EXPECT_FALSE(answers[i]->deduplicated);
    EXPECT_EQ(answers[i]->evidence.content.external_id, queued[i - 1].content.external_id);
    queued_times.insert(answers[i]->evidence.create_time);
  }
  // One transaction: the creates share its start as their create_time.
  EXPECT_EQ(queued_times.size(), 1u);
  // Each create's own audit entry and request_id result were written.
  for (size_t i = 1; i < answers.size(); ++i) {
    const std::string id = answers[i]->evidence.id;
    EXPECT_EQ(db_.Exec("SELECT request_id FROM audit_events WHERE resource = 'evidence/" + id +
                       "' UNION ALL SELECT request_id FROM audit_pending WHERE resource = "
                       "'evidence/" +
                       id + "'")[0][0]
                  .as<std::string>(),
              queued[i - 1].request_id);
    auto retried = creates_.Create(TesterContext("CreateEvidence"), queued[i - 1], {},
                                   AuditorOf(queued[i - 1].request_id));
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_TRUE(retried->deduplicated);
    EXPECT_EQ(retried->evidence.id, id);
  }
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM evidence"), 7);
}

TEST_F(EvidenceCreateGroupsTest, CreatesThatWouldDecideEachOtherGetTheAnswersTheyWouldAlone) {
  NewEvidence bad = TrainingEvidence("dana");
  bad.content.requirements = {{"iso27001-2022", "9.9.z"}};
  NewEvidence retry_first = TrainingEvidence("carol"), retry_second = TrainingEvidence("carol");
  retry_first.request_id = retry_second.request_id = "carol-1";
  auto answers = CreateBehindHeld(
      TrainingEvidence("row-0"), {TrainingEvidence("bob", "v1"), TrainingEvidence("bob", "v2"), bad,
                                  retry_first, retry_second});
  for (size_t i : {0, 1, 2, 4, 5}) ASSERT_TRUE(answers[i].ok()) << i << answers[i].status();
  // The bad create fails on its own, as it would alone; nothing of it is written.
  EXPECT_EQ(answers[3].status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      answers[3].status().message(),
      "evidence.requirements[0]: requirement frameworks/iso27001-2022/requirements/9.9.z does not "
      "exist");
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM evidence WHERE external_id = 'dana'"), 0);
  // One of the two versions of bob came first and the other superseded it.
  const Evidence& v1 = answers[1]->evidence;
  const Evidence& v2 = answers[2]->evidence;
  EXPECT_TRUE(v1.supersedes == v2.id || v2.supersedes == v1.id);
  EXPECT_EQ(db_.Exec("SELECT count(*) FROM evidence WHERE external_id = 'bob' AND state = 1")[0][0]
                .as<int>(),
            1);
  // The retried request_id made one record, and the retry was told so.
  EXPECT_EQ(answers[4]->evidence.id, answers[5]->evidence.id);
  EXPECT_NE(answers[4]->deduplicated, answers[5]->deduplicated);
}

}  // namespace
}  // namespace compliance::testing
