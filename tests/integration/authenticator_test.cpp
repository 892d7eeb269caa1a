#include "api/authenticator.h"

#include <grpcpp/test/server_context_test_spouse.h>
#include <gtest/gtest.h>

#include "app/token_commands.h"
#include "fake_clock.h"
#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

constexpr char kList[] = "/compliance.v1.RequirementService/ListRequirements";

// Tokens are real rows in PostgreSQL; only the clock that ages the remembered answers is
// fake, so a revocation is seen at exact instants instead of after a sleep.
class AuthenticatorTest : public ::testing::Test {
 protected:
  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }
  absl::StatusOr<std::string> Create(const std::string& name) {
    return commands_.Create({"token create", "test", Deadline()}, {name, Role::kViewer, {}});
  }
  absl::Status Revoke(const std::string& name) {
    return commands_.Revoke({"token revoke", "test", Deadline()}, name);
  }

  // A call's context presenting `token`, as gRPC hands it to the interceptors.
  struct Call {
    explicit Call(const std::string& token) { spouse.AddClientMetadata("authorization", token); }
    grpc::ServerContext context;
    grpc::testing::ServerContextTestSpouse spouse{&context};
  };

  absl::StatusCode Authorize(const std::string& token) {
    Call call("Bearer " + token);
    return auth_.Authorize(call.context, kList).status().code();
  }
  // Like Authorize, from memory alone; nullopt when the answer would need the database.
  std::optional<absl::StatusCode> FromMemory(const std::string& token) {
    Call call("Bearer " + token);
    auto caller = auth_.Authorize(call.context, kList, /*may_block=*/false);
    if (!caller) return std::nullopt;
    return caller->status().code();
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 2, absl::Seconds(5), &PrepareStatements};
  TokenStore tokens_{pool_};
  TokenCommands commands_{pool_};
  FakeClock clock_{absl::FromUnixSeconds(1795000000)};
  Authenticator auth_{&tokens_, kTokenCacheTtl, clock_};
};

TEST_F(AuthenticatorTest, ARevokedTokenIsAcceptedUntilTheCacheTtlAndRefusedAtIt) {
  auto token = Create("dashboard");
  ASSERT_TRUE(token.ok()) << token.status();
  const absl::Time checked = clock_.Now();
  ASSERT_EQ(Authorize(*token), absl::StatusCode::kOk);
  ASSERT_TRUE(Revoke("dashboard").ok());

  clock_.Set(checked + kTokenCacheTtl - absl::Microseconds(1));
  EXPECT_EQ(FromMemory(*token), absl::StatusCode::kOk);
  EXPECT_EQ(Authorize(*token), absl::StatusCode::kOk) << "remembered: the database is not asked";

  clock_.Set(checked + kTokenCacheTtl);
  EXPECT_FALSE(FromMemory(*token).has_value()) << "too old to answer from memory";
  EXPECT_EQ(Authorize(*token), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(FromMemory(*token), absl::StatusCode::kUnauthenticated) << "the refusal is remembered";
}

TEST_F(AuthenticatorTest, ARefusalIsRememberedForTheCacheTtlToo) {
  const std::string bogus = "cst_000000000000_not-a-real-secret";
  const absl::Time checked = clock_.Now();
  EXPECT_FALSE(FromMemory(bogus).has_value());
  EXPECT_EQ(Authorize(bogus), absl::StatusCode::kUnauthenticated);
  clock_.Set(checked + kTokenCacheTtl - absl::Microseconds(1));
  EXPECT_EQ(FromMemory(bogus), absl::StatusCode::kUnauthenticated);
  clock_.Set(checked + kTokenCacheTtl);
  EXPECT_FALSE(FromMemory(bogus).has_value());
}

}  // namespace
}  // namespace compliance::testing
