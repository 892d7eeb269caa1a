// Webhook subscriptions in PostgreSQL: the mutations through the pipeline (one audit entry
// each, never the secret), and the delivery state behind the lease that lets one replica at a
// time deliver a subscription.
#include <gtest/gtest.h>

#include "app/webhook_commands.h"
#include "domain/webhook_signature.h"
#include "store/connection_pool.h"
#include "store/statements.h"
#include "store/webhook_delivery_store.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

class WebhookStoreTest : public ::testing::Test {
 protected:
  static MutationContext Context(const std::string& method) {
    return {method, "root", absl::Now() + absl::Seconds(10)};
  }
  static AuditFn<Webhook> Audit(const std::string& method) {
    return [method](const Webhook* before, const Webhook& after) {
      return AuditEntry{"root",
                        method,
                        "webhooks/" + after.id,
                        "",
                        before ? "{\"before\":true}" : "",
                        "{\"url\":\"" + after.fields.url + "\"}"};
    };
  }
  WebhookWithSecret Create() {
    auto created = commands_.Create(Context("CreateWebhook"),
                                    {"https://grc.example.com/hook", {"evidence/", {}}},
                                    {"", "", "request_id"}, Audit("CreateWebhook"));
    EXPECT_TRUE(created.ok()) << created.status();
    return created->first;
  }
  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 4, absl::Seconds(5), &PrepareStatements};
  WebhookCommands commands_{pool_};
  WebhookStore store_{pool_};
  WebhookDeliveryStore replica_a_{pool_, "a"};
  WebhookDeliveryStore replica_b_{pool_, "b"};
};

TEST_F(WebhookStoreTest, MutationsLeaveOneAuditEntryEachAndNoSecret) {
  const WebhookWithSecret created = Create();
  EXPECT_TRUE(WebhookKey(created.secret).has_value()) << created.secret;
  auto rotated = commands_.RotateSecret(Context("RotateWebhookSecret"), created.webhook.id, "",
                                        Audit("RotateWebhookSecret"));
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_NE(rotated->secret, created.secret);
  EXPECT_EQ(rotated->webhook.version, 2);
  EXPECT_EQ(
      commands_.Resume(Context("ResumeWebhook"), created.webhook.id, "", Audit("ResumeWebhook"))
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition)
      << "only a paused one resumes";
  EXPECT_EQ(
      commands_.Delete(Context("DeleteWebhook"), created.webhook.id, "w1", Audit("DeleteWebhook"))
          .code(),
      absl::StatusCode::kAborted)
      << "a stale etag";
  ASSERT_TRUE(
      commands_.Delete(Context("DeleteWebhook"), created.webhook.id, "w2", Audit("DeleteWebhook"))
          .ok());
  EXPECT_EQ(store_.Get(created.webhook.id, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  const auto entries =
      db_.Exec("SELECT method, before_json, after_json FROM audit_pending ORDER BY id");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2][0].as<std::string>(), "DeleteWebhook");
  EXPECT_EQ(entries[2][1].as<std::string>(), R"({"url":"https://grc.example.com/hook"})");
  EXPECT_EQ(entries[2][2].as<std::string>(), "");
  const std::string key = created.secret.substr(6);
  EXPECT_EQ(db_.Exec("SELECT count(*) FROM audit_pending WHERE strpos(before_json || "
                     "after_json, '" +
                     key + "') > 0")[0][0]
                .as<int>(),
            0);
}

TEST_F(WebhookStoreTest, OneReplicaHoldsTheLeaseAndOnlyItMovesTheCursor) {
  const std::string id = Create().webhook.id;
  auto claimed = replica_a_.Claim(absl::Seconds(30), 10, {}, Deadline());
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, std::vector<std::string>{id});
  EXPECT_TRUE(replica_b_.Claim(absl::Seconds(30), 10, {}, Deadline())->empty());
  EXPECT_TRUE(replica_a_.Claim(absl::Seconds(30), 10, {id}, Deadline())->empty())
      << "what a replica runs already is not claimed again";

  EXPECT_TRUE(*replica_a_.RecordProgress(id, 5, true, Deadline()));
  EXPECT_FALSE(*replica_b_.RecordProgress(id, 9, true, Deadline())) << "no lease, no progress";
  EXPECT_FALSE(replica_b_.Renew(id, absl::Seconds(30), Deadline())->has_value());
  auto target = replica_a_.Renew(id, absl::Seconds(30), Deadline());
  ASSERT_TRUE(target.ok() && target->has_value());
  EXPECT_EQ((*target)->delivered_sequence, 5);
  EXPECT_EQ((*target)->secrets.size(), 1u);

  // The holder dies: once its lease lapses, the other replica takes over where it stopped.
  db_.Exec("UPDATE webhooks SET lease_expire_time = now() - interval '1 second'");
  EXPECT_EQ(*replica_b_.Claim(absl::Seconds(30), 10, {}, Deadline()), std::vector<std::string>{id});
  EXPECT_FALSE(*replica_a_.RecordProgress(id, 9, true, Deadline())) << "fenced off";
  EXPECT_EQ((*replica_b_.Renew(id, absl::Seconds(30), Deadline()))->delivered_sequence, 5);
}

TEST_F(WebhookStoreTest, PausingGivesTheLeaseUpUntilResumed) {
  const std::string id = Create().webhook.id;
  ASSERT_EQ(replica_a_.Claim(absl::Seconds(30), 10, {}, Deadline())->size(), 1u);
  const absl::Time now = absl::FromUnixSeconds(1798761600);
  FailureDecision decision{3, now - absl::Hours(25), now + absl::Seconds(8), true,
                           "3 deliveries failed over 25h; last error: HTTP 500"};
  EXPECT_TRUE(*replica_a_.RecordFailure(id, decision, "HTTP 500", Deadline()));
  auto paused = store_.Get(id, Deadline());
  ASSERT_TRUE(paused.ok());
  EXPECT_EQ(paused->state, WebhookState::kPaused);
  EXPECT_EQ(paused->pause_reason, decision.pause_reason);
  EXPECT_EQ(paused->failed_attempts, 3);
  EXPECT_EQ(paused->last_error, "HTTP 500");
  EXPECT_TRUE(replica_b_.Claim(absl::Seconds(30), 10, {}, Deadline())->empty())
      << "a paused subscription is delivered by nobody";
  ASSERT_TRUE(commands_.Resume(Context("ResumeWebhook"), id, "", Audit("ResumeWebhook")).ok());
  EXPECT_EQ(*replica_b_.Claim(absl::Seconds(30), 10, {}, Deadline()), std::vector<std::string>{id});
  auto lags = replica_b_.Lags(Deadline());
  ASSERT_TRUE(lags.ok());
  ASSERT_EQ(lags->size(), 1u);
  EXPECT_EQ((*lags)[0].state, WebhookState::kActive);
}

}  // namespace
}  // namespace compliance::testing
