#include "store/evidence_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "app/evidence_commands.h"
#include "fake_clock.h"
#include "store/connection_pool.h"
#include "store/evidence_copy.h"
#include "store/requirement_store.h"
#include "store/statements.h"
#include "test_database.h"
#include "test_evidence.h"
#include "test_mutations.h"

namespace compliance::testing {
namespace {

const RequirementKey kF{"iso27001-2022", "5.1.f"};

class EvidenceStoreTest : public ::testing::Test {
 protected:
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }

  // Creates as the API does, the `audit` renderer plain unless given.
  absl::StatusOr<std::vector<CreatedEvidence>> Create(const std::vector<NewEvidence>& requests,
                                                      bool batch,
                                                      const AuditFn<Evidence>& audit = {}) {
    return commands_.Create(TesterContext("CreateEvidence"), requests, batch, {},
                            {audit ? audit : PlainAuditor<Evidence>()});
  }

  absl::StatusOr<Evidence> Withdraw(const std::string& id, const std::string& reason) {
    return commands_.Withdraw(TesterContext("WithdrawEvidence"), id, reason, "",
                              PlainAuditor<Evidence>());
  }

  absl::StatusOr<CreatedEvidence> CreateOne(const NewEvidence& request) {
    auto created = Create({request}, false);
    if (!created.ok()) return created.status();
    return created->front();
  }

  int Count(const std::string& where = "true") {
    return db_.Value<int>("SELECT count(*) FROM evidence WHERE " + where);
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 8, absl::Seconds(10), &PrepareStatements};
  EvidenceStore store_{pool_};
  EvidenceCommands commands_{pool_, store_};
  FakeClock clock_{absl::Now()};  // no listener runs here, so no read is held to age
  RequirementStore requirements_{pool_, clock_};
};

TEST_F(EvidenceStoreTest, RequestIdRetryReturnsTheFirstRecord) {
  auto request = TrainingEvidence("", "Policy v1");
  request.request_id = "retry-1";
  auto first = CreateOne(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->deduplicated);
  auto again = CreateOne(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->evidence.id, first->evidence.id);
  EXPECT_EQ(Count(), 1);

  request.content.title = "Policy v2";
  auto reused = CreateOne(request);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1);
}

TEST_F(EvidenceStoreTest, ResendByExternalIdDeduplicatesOrSupersedesAsAChain) {
  auto v1 = CreateOne(TrainingEvidence("alice"));
  ASSERT_TRUE(v1.ok()) << v1.status();
  auto same = CreateOne(TrainingEvidence("alice"));
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->deduplicated);
  EXPECT_EQ(same->evidence.id, v1->evidence.id);
  EXPECT_EQ(Count(), 1);

  auto v2 = CreateOne(TrainingEvidence("alice", "Training, renewed"));
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_FALSE(v2->deduplicated);
  EXPECT_EQ(v2->evidence.supersedes, v1->evidence.id);
  auto v3 = CreateOne(TrainingEvidence("alice", "Training, renewed again"));
  ASSERT_TRUE(v3.ok());

  auto old = store_.Get(v1->evidence.id, Deadline());
  EXPECT_EQ(old->state, EvidenceState::kSuperseded);
  EXPECT_EQ(old->superseded_by, v2->evidence.id);
  auto middle = store_.Get(v2->evidence.id, Deadline());
  EXPECT_EQ(middle->supersedes, v1->evidence.id);
  EXPECT_EQ(middle->superseded_by, v3->evidence.id);
  EXPECT_EQ(Count("state = 1"), 1);
  EXPECT_EQ(Count(), 3);
}

TEST_F(EvidenceStoreTest, ABadItemInTheMiddleWritesNothing) {
  std::vector<NewEvidence> batch;
  for (int i = 0; i < 40; ++i) batch.push_back(TrainingEvidence("row-" + std::to_string(i)));
  batch[17].content.requirements = {{"iso27001-2022", "9.9.z"}};
  auto result = Create(batch, true);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::string_view(result.status().message()).substr(0, 37) ==
              "requests[17].evidence.requirements[0]")
      << result.status();
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM evidence_requirements"), 0);
}

// The store remembers which requirements exist; one that a newer replica's migration adds
// while this process runs is found on the first write that names it, without a restart.
TEST_F(EvidenceStoreTest, ARequirementAddedWhileRunningIsFoundOnFirstUse) {
  ASSERT_TRUE(CreateOne(TrainingEvidence("first")).ok());  // the catalog is now in memory
  auto later = TrainingEvidence("later");
  later.content.requirements = {{"iso27001-2022", "5.1.z"}};
  EXPECT_EQ(CreateOne(later).status().code(), absl::StatusCode::kNotFound);
  db_.Exec(
      "INSERT INTO requirements (framework, requirement_id, clause, position, reference, title,"
      " description, evidence_guidance) VALUES ('iso27001-2022', '5.1.z', '5.1', 990,"
      " '5.1(z)', 'Added later', 'A requirement of a newer catalog', ARRAY['a record'])");
  auto created = CreateOne(later);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->evidence.content.requirements.front().id, "5.1.z");
}

TEST_F(EvidenceStoreTest, AThousandGoodItemsWriteAThousandRecords) {
  std::vector<NewEvidence> batch;
  for (int i = 0; i < 1000; ++i) {
    batch.push_back(TrainingEvidence("employee-" + std::to_string(i)));
    batch.back().request_id = "batch-" + std::to_string(i);
  }
  auto result = Create(batch, true);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->size(), 1000u);
  EXPECT_EQ((*result)[999].evidence.content.external_id, "employee-999");  // request order
  EXPECT_EQ(Count(), 1000);
  auto again = Create(batch, true);
  ASSERT_TRUE(again.ok()) << again.status();
  for (const auto& created : *again) EXPECT_TRUE(created.deduplicated);
  EXPECT_EQ(Count(), 1000);
}

void ExpectSameRecord(const Evidence& returned, const Evidence& stored) {
  EXPECT_EQ(returned.id, stored.id);
  EXPECT_EQ(ContentHash(returned.content), ContentHash(stored.content));
  EXPECT_EQ(returned.content.requirements, stored.content.requirements);  // in the client's order
  EXPECT_EQ(returned.state, stored.state);
  EXPECT_EQ(returned.supersedes, stored.supersedes);
  EXPECT_EQ(returned.superseded_by, stored.superseded_by);
  EXPECT_EQ(returned.withdraw_reason, stored.withdraw_reason);
  EXPECT_EQ(returned.submitter, stored.submitter);
  EXPECT_EQ(returned.create_time, stored.create_time);
  EXPECT_EQ(returned.version, stored.version);
  EXPECT_EQ(EvidenceEtag(returned), EvidenceEtag(stored));
}

// Create builds new records in memory instead of reading them back, and audits what it built:
// both must be exactly what the database holds, for single creates, supersedes and batches.
TEST_F(EvidenceStoreTest, WhatCreateReturnsAndAuditsIsWhatIsStored) {
  std::vector<Evidence> audited;
  const AuditFn<Evidence> audit = [&](const Evidence*, const Evidence& after) {
    audited.push_back(after);
    return AuditEntry{"tester", "CreateEvidence", EvidenceName(after.id), "", "", "{}"};
  };
  auto first = TrainingEvidence("dana");
  first.content.requirements = {{"iso27001-2022", "5.1.g"}, kF};
  first.content.description = "Annual refresher";
  first.content.sha256 = std::string(64, 'a');
  first.content.expire_time = absl::FromUnixMicros(1890000000123456);
  first.content.labels = {{"department", "finance"}, {"site", "Zürich"}};
  const absl::Time before = absl::Now();
  auto created = Create({first}, false, audit);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_GE(created->front().evidence.create_time, before - absl::Seconds(5));
  auto changed = first;
  changed.content.title = "Training, renewed";
  auto explicit_target = TrainingEvidence("");
  std::vector<NewEvidence> batch = {changed, explicit_target, first};
  batch[2].content.external_id = "erin";
  auto second = Create(batch, true, audit);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->size(), 3u);
  EXPECT_EQ((*second)[0].evidence.supersedes, created->front().evidence.id);
  auto replacement = TrainingEvidence("");
  replacement.supersedes = (*second)[1].evidence.id;
  auto third = Create({replacement}, false, audit);
  ASSERT_TRUE(third.ok()) << third.status();

  std::vector<Evidence> returned = {created->front().evidence};
  for (const auto& c : *second) returned.push_back(c.evidence);
  returned.push_back(third->front().evidence);
  ASSERT_EQ(audited.size(), returned.size());
  for (size_t i = 0; i < returned.size(); ++i) {
    SCOPED_TRACE(i);
    auto stored = store_.Get(returned[i].id, Deadline());
    ASSERT_TRUE(stored.ok()) << stored.status();
    Evidence as_created = *stored;  // undo a later supersede, which only moves these three
    if (stored->state == EvidenceState::kSuperseded) {
      as_created.state = EvidenceState::kActive;
      as_created.superseded_by.clear();
      as_created.version -= 1;
    }
    ExpectSameRecord(returned[i], as_created);
    ExpectSameRecord(audited[i], returned[i]);
  }
  // The records superseded since they were returned read as such, and nothing else changed.
  EXPECT_EQ(store_.Get(returned[0].id, Deadline())->superseded_by, returned[1].id);
  EXPECT_EQ(store_.Get(returned[2].id, Deadline())->superseded_by, returned[4].id);
  EXPECT_EQ(Count(), 5);
}

TEST_F(EvidenceStoreTest, TheDatabaseRefusesToChangeOrDeleteEvidence) {
  ASSERT_TRUE(CreateOne(TrainingEvidence("x")).ok());
  for (const std::string sql :
       {"UPDATE evidence SET title = 'forged'", "UPDATE evidence SET uri = 'https://evil'",
        "DELETE FROM evidence", "TRUNCATE evidence CASCADE", "DELETE FROM evidence_requirements",
        "UPDATE evidence_requirements SET ordinal = 5"}) {
    EXPECT_THROW(db_.Exec(sql), pqxx::sql_error) << sql;
  }
  EXPECT_EQ(Count("title = 'Training'"), 1);
  // Once withdrawn a record cannot move again, even directly in SQL.
  db_.Exec("UPDATE evidence SET state = 3, withdraw_reason = 'wrong file'");
  EXPECT_THROW(db_.Exec("UPDATE evidence SET state = 1"), pqxx::sql_error);
}

TEST_F(EvidenceStoreTest, ExpiredEvidenceStopsCountingAtItsExpiry) {
  const absl::Time now = absl::FromUnixSeconds(1795000000);
  auto request = TrainingEvidence("cert");
  request.content.collect_time = now - absl::Hours(1);
  request.content.expire_time = now + absl::Seconds(1);
  ASSERT_TRUE(CreateOne(request).ok());
  EXPECT_EQ(requirements_.Get(kF, now, Deadline())->valid_evidence_count, 1);
  EXPECT_EQ(requirements_.Get(kF, now + absl::Seconds(1), Deadline())->valid_evidence_count, 0);
  bool more = false;
  EvidenceFilter current;
  EXPECT_EQ(
      store_.List(current, std::nullopt, 50, now + absl::Seconds(1), Deadline(), &more)->size(),
      0u);
  current.include_expired = true;
  EXPECT_EQ(
      store_.List(current, std::nullopt, 50, now + absl::Seconds(1), Deadline(), &more)->size(),
      1u);
}

TEST_F(EvidenceStoreTest, PagingWhileOthersInsertSeesEveryRecordExactlyOnce) {
  std::set<std::string> initial;
  for (int i = 0; i < 6; ++i) {
    std::vector<NewEvidence> batch;
    for (int j = 0; j < 20; ++j)
      batch.push_back(TrainingEvidence("p-" + std::to_string(i * 20 + j)));
    auto created = Create(batch, true);
    ASSERT_TRUE(created.ok()) << created.status();
    for (const auto& record : *created) initial.insert(record.evidence.id);
  }
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 100 && !done; ++i) {
      ASSERT_TRUE(CreateOne(TrainingEvidence("w-" + std::to_string(i))).ok());
    }
  });
  std::multiset<std::string> seen;
  std::optional<TimeCursor> cursor;
  bool more = true;
  while (more) {
    auto page = store_.List(EvidenceFilter{}, cursor, 7, absl::Now(), Deadline(), &more);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : *page) seen.insert(e.id);
    if (!page->empty()) cursor = TimeCursor{page->back().create_time, page->back().id};
  }
  done = true;
  writer.join();
  ASSERT_EQ(initial.size(), 120u);
  for (const auto& id : initial) EXPECT_EQ(seen.count(id), 1u) << id;
  for (const auto& id : seen) EXPECT_EQ(seen.count(id), 1u) << id;
}

TEST_F(EvidenceStoreTest, HostileAndLongStringsRoundTripByteForByte) {
  auto request = TrainingEvidence("odd");
  request.content.title = "Quote ' \" backslash \\ '; DROP TABLE evidence; -- 🔒✅";
  request.content.description = std::string(3999, 'x') + "é";
  request.content.labels = {{"note", "tab\there \\n '; DROP TABLE x; 😀"}};
  request.content.external_id = "id with spaces/and\\slashes";
  auto created = CreateOne(request);
  ASSERT_TRUE(created.ok()) << created.status();
  auto read = store_.Get(created->evidence.id, Deadline());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->content.title, request.content.title);
  EXPECT_EQ(read->content.description, request.content.description);
  EXPECT_EQ(read->content.labels, request.content.labels);
  EXPECT_EQ(read->content.external_id, request.content.external_id);
  EXPECT_EQ(ContentHash(read->content), ContentHash(request.content));
  EXPECT_EQ(Count(), 1);
}

// A batch of kCopyRecordsFrom or more goes in by COPY rather than the one statement: every field,
// hostile text, the ends of the time range and both kinds of supersede must come back, and be
// audited, exactly as created.
TEST_F(EvidenceStoreTest, ABatchWrittenByCopyStoresAndAuditsExactlyWhatItReturns) {
  ASSERT_TRUE(CreateOne(TrainingEvidence("to-replace", "old")).ok());
  auto target = CreateOne(TrainingEvidence(""));
  ASSERT_TRUE(target.ok()) << target.status();
  std::vector<NewEvidence> batch;
  for (size_t i = 0; i < kCopyRecordsFrom; ++i) {
    auto r =
        TrainingEvidence("copy-" + std::to_string(i), "Tab\there, line\nbreak, \\N, \\. and '; --");
    r.content.requirements = {{"iso27001-2022", "5.1.g"}, kF};
    r.content.description = i % 2 ? "" : "Ünïcode 🔒 and a \\ backslash";
    r.content.sha256 = std::string(64, 'b');
    r.content.labels = {{"tab\tkey", "line\nvalue"}, {"site", "Zürich"}};
    r.content.collect_time = absl::FromUnixMicros(1790000000123456 + static_cast<int64_t>(i));
    if (i % 3 == 0) r.content.expire_time = absl::FromUnixMicros(1890000000654321);
    batch.push_back(r);
  }
  batch[1].content.external_id = "to-replace";  // supersedes by its key
  batch[2].content.external_id = "";
  batch[2].supersedes = target->evidence.id;  // and explicitly
  batch[3].content.collect_time = absl::FromCivil(absl::CivilSecond(1, 1, 1), absl::UTCTimeZone());
  batch[4].content.collect_time = absl::FromUnixMicros(-1);  // before 1970, microseconds kept
  batch[4].content.expire_time =
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()) +
      absl::Microseconds(999999);
  std::vector<Evidence> audited;
  const AuditFn<Evidence> audit = [&](const Evidence*, const Evidence& after) {
    audited.push_back(after);
    return AuditEntry{"tester",
                      "CreateEvidence",
                      EvidenceName(after.id),
                      "",
                      "",
                      "{\"title\":\"tab\\tand \\\\N\"}"};
  };
  auto created = Create(batch, true, audit);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->size(), batch.size());
  ASSERT_EQ(audited.size(), batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE(i);
    const Evidence& returned = (*created)[i].evidence;
    auto stored = store_.Get(returned.id, Deadline());
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->content.title, batch[i].content.title);
    EXPECT_EQ(stored->content.labels, batch[i].content.labels);
    EXPECT_EQ(stored->content.collect_time, batch[i].content.collect_time);
    EXPECT_EQ(stored->content.expire_time, batch[i].content.expire_time);
    ExpectSameRecord(returned, *stored);
    ExpectSameRecord(audited[i], returned);
  }
  EXPECT_FALSE((*created)[1].evidence.supersedes.empty());
  EXPECT_EQ((*created)[2].evidence.supersedes, target->evidence.id);
  EXPECT_EQ(Count("state = 2"), 2);
  // The audit entries are queued as rendered, byte for byte.
  EXPECT_EQ(db_.Exec("SELECT count(*) FROM audit_pending WHERE method = 'CreateEvidence' AND "
                     "after_json = '{\"title\":\"tab\\tand \\\\N\"}'")[0][0]
                .as<size_t>(),
            batch.size());
}

// Two batches of the same new keys at once, both written by COPY: the one that commits second
// runs into the first's records, runs again, and repeats them instead of failing.
TEST_F(EvidenceStoreTest, ConcurrentCopiedBatchesOfTheSameKeysCreateEachRecordOnce) {
  std::vector<NewEvidence> batch;
  for (size_t i = 0; i < 2 * kCopyRecordsFrom; ++i)
    batch.push_back(TrainingEvidence("race-" + std::to_string(i)));
  std::atomic<int> failed{0}, deduplicated{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 2; ++t) {
    senders.emplace_back([&] {
      auto result = Create(batch, true);
      if (!result.ok()) {
        ADD_FAILURE() << result.status();
        ++failed;
        return;
      }
      for (const auto& c : *result) deduplicated += c.deduplicated;
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(Count(), static_cast<int>(batch.size()));
  EXPECT_EQ(deduplicated, static_cast<int>(batch.size()));
}

TEST_F(EvidenceStoreTest, ConcurrentResendsOfOneRecordCreateItOnce) {
  std::vector<std::thread> senders;
  std::atomic<int> created{0}, deduplicated{0}, failed{0};
  for (int i = 0; i < 8; ++i) {
    senders.emplace_back([&] {
      auto result = CreateOne(TrainingEvidence("same-person"));
      if (!result.ok()) {
        ++failed;
      } else if (result->deduplicated) {
        ++deduplicated;
      } else {
        ++created;
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(deduplicated, 7);
  EXPECT_EQ(Count(), 1);
}

// Changed re-sends of one key racing each other: every one succeeds, each supersedes the one
// committed before it, and exactly one stays ACTIVE, whatever order they commit in.
TEST_F(EvidenceStoreTest, ConcurrentChangedResendsFormOneSupersedeChain) {
  constexpr int kSenders = 8;
  ASSERT_TRUE(CreateOne(TrainingEvidence("contested", "v-first")).ok());
  std::vector<std::thread> senders;
  std::atomic<int> failed{0};
  for (int i = 0; i < kSenders; ++i) {
    senders.emplace_back([&, i] {
      auto result = CreateOne(TrainingEvidence("contested", "v" + std::to_string(i)));
      if (!result.ok()) {
        ADD_FAILURE() << result.status();
        ++failed;
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(Count(), kSenders + 1);
  EXPECT_EQ(Count("state = 1"), 1);
  // A chain: every record but the first supersedes exactly one, and none is superseded twice.
  EXPECT_EQ(Count("supersedes IS NOT NULL"), kSenders);
  EXPECT_EQ(db_.Value<int>("SELECT count(DISTINCT supersedes) FROM evidence"), kSenders);
  EXPECT_EQ(Count("state = 2 AND superseded_by IS NOT NULL"), kSenders);
}

TEST_F(EvidenceStoreTest, WithdrawOnlyActiveRecords) {
  auto created = CreateOne(TrainingEvidence("w"));
  auto withdrawn = Withdraw(created->evidence.id, "uploaded by mistake");
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state, EvidenceState::kWithdrawn);
  EXPECT_EQ(Withdraw(created->evidence.id, "again").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.Get(created->evidence.id, Deadline())->withdraw_reason, "uploaded by mistake");
  EXPECT_EQ(Withdraw("00000000-0000-4000-8000-000000000000", "x").status().code(),
            absl::StatusCode::kNotFound);
  // A withdrawn record cannot be superseded explicitly.
  auto successor = TrainingEvidence("");
  successor.supersedes = created->evidence.id;
  EXPECT_EQ(CreateOne(successor).status().code(), absl::StatusCode::kFailedPrecondition);
}

// The live links are derived data: after creating, superseding (by re-send and explicitly),
// withdrawing and batching, they are exactly the links of ACTIVE records, with their expiry.
TEST_F(EvidenceStoreTest, LiveLinksFollowEveryStateChange) {
  auto two_requirements = TrainingEvidence("bob");
  two_requirements.content.requirements = {kF, {"iso27001-2022", "5.1.g"}};
  two_requirements.content.expire_time = absl::FromUnixSeconds(1890000000);
  ASSERT_TRUE(CreateOne(two_requirements).ok());
  two_requirements.content.title = "Training, renewed";
  ASSERT_TRUE(CreateOne(two_requirements).ok());  // supersedes by re-send
  auto withdrawn = CreateOne(TrainingEvidence("carol"));
  ASSERT_TRUE(Withdraw(withdrawn->evidence.id, "duplicate").ok());
  auto replaced = CreateOne(TrainingEvidence(""));
  auto replacement = TrainingEvidence("");
  replacement.supersedes = replaced->evidence.id;
  ASSERT_TRUE(CreateOne(replacement).ok());
  std::vector<NewEvidence> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(TrainingEvidence("batch-" + std::to_string(i)));
  ASSERT_TRUE(Create(batch, true).ok());

  const std::string derived =
      "SELECT er.evidence_id, er.framework, er.requirement_id, e.expire_time "
      "FROM evidence e JOIN evidence_requirements er ON er.evidence_id = e.id WHERE e.state = 1";
  const std::string live =
      "SELECT evidence_id, framework, requirement_id, expire_time FROM active_evidence_links";
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM (" + derived + ") d"), 2 + 1 + 20);
  EXPECT_EQ(db_.Exec("SELECT count(*) FROM ((" + derived + ") EXCEPT (" + live + ")) missing")[0][0]
                .as<int>(),
            0);
  EXPECT_EQ(db_.Exec("SELECT count(*) FROM ((" + live + ") EXCEPT (" + derived + ")) stale")[0][0]
                .as<int>(),
            0);
}

}  // namespace
}  // namespace compliance::testing
