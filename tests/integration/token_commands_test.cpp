// Token changes (compliance-server token create/revoke) run through the mutation pipeline:
// each one with its audit entry, and a refused one changes nothing, audit log included.
#include "app/token_commands.h"

#include <gtest/gtest.h>

#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

class TokenCommandsTest : public ::testing::Test {
 protected:
  static MutationContext Context(const std::string& method) {
    return {method, "local:tester", absl::Now() + absl::Seconds(10)};
  }
  absl::StatusOr<std::string> Create(const TokenGrant& grant) {
    return commands_.Create(Context("token create"), grant);
  }
  absl::Status Revoke(const std::string& name) {
    return commands_.Revoke(Context("token revoke"), name);
  }
  int Count(const std::string& from) { return db_.Value<int>("SELECT count(*) FROM " + from); }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 2, absl::Seconds(5), &PrepareStatements};
  TokenCommands commands_{pool_};
};

TEST_F(TokenCommandsTest, CreateAndRevokeEachLeaveOneAuditEntry) {
  auto token = Create({"hr-sync", Role::kIntegrator, {"hr-system"}});
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->rfind("cst_", 0), 0u);
  ASSERT_TRUE(Revoke("hr-sync").ok());
  const auto entries = db_.Exec(
      "SELECT method, actor, resource, before_json, after_json FROM audit_pending "
      "ORDER BY id");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0][0].as<std::string>(), "token create");
  EXPECT_EQ(entries[0][1].as<std::string>(), "local:tester");
  EXPECT_EQ(entries[0][2].as<std::string>(), "tokens/hr-sync");
  EXPECT_EQ(entries[0][3].as<std::string>(), "");
  EXPECT_EQ(entries[0][4].as<std::string>(),
            R"({"name":"tokens/hr-sync","revoked":false,"role":"integrator",)"
            R"("sources":["hr-system"]})");
  EXPECT_EQ(entries[1][0].as<std::string>(), "token revoke");
  EXPECT_EQ(entries[1][3].as<std::string>(), entries[0][4].as<std::string>());
  EXPECT_NE(entries[1][4].as<std::string>().find(R"("revoked":true)"), std::string::npos);
}

TEST_F(TokenCommandsTest, RefusedChangesWriteNothing) {
  ASSERT_TRUE(Create({"dashboard", Role::kViewer, {}}).ok());
  const int entries = Count("audit_pending");

  EXPECT_EQ(Create({"dashboard", Role::kEditor, {}}).status().code(),
            absl::StatusCode::kAlreadyExists);
  const auto bad_name = Create({"Dash Board", Role::kViewer, {}}).status();
  EXPECT_EQ(bad_name.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_name.message().rfind("name: ", 0), 0u) << bad_name;
  const auto sources_on_viewer = Create({"viewer2", Role::kViewer, {"hr-system"}}).status();
  EXPECT_EQ(sources_on_viewer.message().rfind("sources: ", 0), 0u) << sources_on_viewer;
  EXPECT_EQ(Revoke("nobody").code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(Revoke("dashboard").ok());
  EXPECT_EQ(Revoke("dashboard").code(), absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(Count("tokens"), 1);
  EXPECT_EQ(Count("audit_pending"), entries + 1) << "only the one revocation";
}

}  // namespace
}  // namespace compliance::testing
