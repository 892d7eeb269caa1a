#include "server/janitor.h"

#include <gtest/gtest.h>

#include "fake_clock.h"
#include "store/connection_pool.h"
#include "store/idempotency_store.h"
#include "store/statements.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

TEST(Janitor, ForgetsRequestIdsOlderThanTheRetentionOnly) {
  TestDatabase db;
  db.Exec(
      "INSERT INTO idempotency_keys (method, actor, request_id, request_hash, create_time) "
      "SELECT 'CreateEvidence', 'hr', 'old-' || i, 'h', now() - interval '8 days' "
      "FROM generate_series(1, 2500) i");
  db.Exec(
      "INSERT INTO idempotency_keys (method, actor, request_id, request_hash, create_time) "
      "VALUES ('CreateEvidence', 'hr', 'six-days', 'h', now() - interval '6 days'),"
      "       ('CreateEvidence', 'hr', 'fresh', 'h', now())");
  ConnectionPool pool(db.url(), 2, absl::Seconds(5), &PrepareStatements);
  IdempotencyStore store(pool);
  SystemClock clock;
  Janitor janitor(store, clock, absl::Hours(24 * 7), absl::Hours(1));
  EXPECT_EQ(janitor.RunOnce(), 2500);  // in batches, until nothing old is left
  EXPECT_EQ(db.Value<std::string>(
                "SELECT string_agg(request_id, ',' ORDER BY request_id) FROM idempotency_keys"),
            "fresh,six-days");
  EXPECT_EQ(janitor.RunOnce(), 0);
}

}  // namespace
}  // namespace compliance::testing
