#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "domain/audit.h"
#include "store/audit_store.h"
#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pqxx::connection connection(db_.url());
    PrepareStatements(connection);
    for (int i = 1; i <= 10; ++i) {
      pqxx::work work(connection);
      AppendAuditEntries(work, {{"hr-sync", "/compliance.v1.EvidenceService/CreateEvidence",
                                 "evidence/" + std::to_string(i), "req-" + std::to_string(i), "",
                                 "{\"title\":\"record " + std::to_string(i) + "\"}"}});
      work.commit();
    }
    EXPECT_EQ(AuditStore::SealBatch(connection, 4), 4);  // batches continue one chain
    EXPECT_EQ(AuditStore::SealBatch(connection, 100), 6);
    EXPECT_EQ(AuditStore::SealBatch(connection, 100), 0);
  }

  ChainReport Verify() {
    auto report = store_.Verify(absl::Now() + absl::Seconds(30));
    EXPECT_TRUE(report.ok()) << report.status();
    return *report;
  }

  // Tampering as a superuser would: with the log's triggers switched off.
  void Tamper(const std::string& sql) {
    db_.Exec("SET session_replication_role = replica; " + sql);
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 2, absl::Seconds(10), &PrepareStatements};
  AuditStore store_{pool_};
};

TEST_F(AuditLogTest, AnUntouchedChainVerifies) {
  const ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.detail;
  EXPECT_EQ(report.verified_events, 10);
  EXPECT_EQ(report.first_broken_sequence, 0);
  auto events = store_.List(0, "", 100, absl::Now() + absl::Seconds(5));
  ASSERT_EQ(events->size(), 10u);
  EXPECT_EQ((*events)[0].prev_hash, kGenesisHash);
  for (size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].sequence, static_cast<int64_t>(i + 1));
    if (i > 0) EXPECT_EQ((*events)[i].prev_hash, (*events)[i - 1].hash);
  }
}

// Entries travel to PostgreSQL with their documents embedded as JSON, not as strings: what is
// sealed (and hashed) must still be each document byte for byte, whitespace and escapes kept.
TEST_F(AuditLogTest, DocumentsAreSealedByteForByte) {
  const std::vector<AuditEntry> entries = {
      {"hr \"sync\"", "m", "evidence/odd", "req-é", "",
       "{\"b\": 1,  \"a\":\"é \\u003c \\\"q\\\" \\\\ 🔒\",\n\"n\":null, \"l\":[ ]}"},
      {"a", "m", "requirements/x", "", "{\"v\":1}", "{\"v\":2}"},
  };
  pqxx::connection connection(db_.url());
  PrepareStatements(connection);
  pqxx::work work(connection);
  AppendAuditEntries(work, entries);
  work.commit();
  ASSERT_EQ(AuditStore::SealBatch(connection, 100), 2);
  auto events = store_.List(10, "", 100, absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const AuditEntry& sealed = (*events)[i].entry;
    EXPECT_EQ(sealed.actor, entries[i].actor);
    EXPECT_EQ(sealed.request_id, entries[i].request_id);
    EXPECT_EQ(sealed.before_json, entries[i].before_json);
    EXPECT_EQ(sealed.after_json, entries[i].after_json);
  }
  EXPECT_TRUE(Verify().intact);
}

TEST_F(AuditLogTest, TheDatabaseRefusesToChangeTheLog) {
  EXPECT_THROW(db_.Exec("UPDATE audit_events SET actor = 'someone else'"), pqxx::sql_error);
  EXPECT_THROW(db_.Exec("DELETE FROM audit_events WHERE sequence = 3"), pqxx::sql_error);
  EXPECT_THROW(db_.Exec("TRUNCATE audit_events"), pqxx::sql_error);
  EXPECT_TRUE(Verify().intact);
}

TEST_F(AuditLogTest, AnEditedEventIsReportedAtItsSequence) {
  Tamper("UPDATE audit_events SET after_json = '{\"title\":\"forged\"}' WHERE sequence = 6");
  const ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_broken_sequence, 6);
  EXPECT_EQ(report.verified_events, 5);
}

TEST_F(AuditLogTest, ADeletedEventIsReportedAtItsSequence) {
  Tamper("DELETE FROM audit_events WHERE sequence = 4");
  EXPECT_EQ(Verify().first_broken_sequence, 4);
}

TEST_F(AuditLogTest, EventsDeletedFromTheEndAreReported) {
  Tamper("DELETE FROM audit_events WHERE sequence >= 9");
  const ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_broken_sequence, 9);
}

TEST_F(AuditLogTest, SwappedEventsAreReportedAtTheFirstOfThem) {
  Tamper(
      "UPDATE audit_events SET sequence = 1000007 WHERE sequence = 7;"
      "UPDATE audit_events SET sequence = 7 WHERE sequence = 8;"
      "UPDATE audit_events SET sequence = 8 WHERE sequence = 1000007;");
  EXPECT_EQ(Verify().first_broken_sequence, 7);
}

TEST(AuditHash, DependsOnEveryField) {
  const AuditEntry entry{"a", "/m", "r", "id", "{}", "{\"x\":1}"};
  const absl::Time t = absl::FromUnixMicros(1795000000123456);
  const std::string base = AuditHash(kGenesisHash, 1, t, entry);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_NE(AuditHash(kGenesisHash, 2, t, entry), base);
  EXPECT_NE(AuditHash(kGenesisHash, 1, t + absl::Microseconds(1), entry), base);
  EXPECT_NE(AuditHash(std::string(64, '1'), 1, t, entry), base);
  AuditEntry other = entry;
  other.after_json = "{\"x\":2}";
  EXPECT_NE(AuditHash(kGenesisHash, 1, t, other), base);
  other = entry;
  other.actor = "a/";
  other.method = "m";
  EXPECT_NE(AuditHash(kGenesisHash, 1, t, other), base);
}

}  // namespace
}  // namespace compliance::testing
