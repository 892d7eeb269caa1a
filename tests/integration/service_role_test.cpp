// Least privilege: the role that serves may read and append the audit log, never rewrite it.
#include "store/service_role.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <pqxx/pqxx>
#include <random>

#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "process.h"
#include "server_process.h"
#include "store/migrations.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

constexpr char kDenied[] = "denied";

class ServiceRoleTest : public ::testing::Test {
 protected:
  ServiceRoleTest() {
    std::random_device random;
    role_ = "svc_" + std::to_string(random());
    db_.Exec("CREATE ROLE " + role_ + " LOGIN");
  }
  ~ServiceRoleTest() override {
    db_.Exec("DROP OWNED BY " + role_);
    db_.Exec("DROP ROLE " + role_);
  }
  // The test database, connected to as the service role.
  std::string RoleUrl() const { return db_.url() + " user=" + role_; }

  // Runs `sql` as the service role: "" when it succeeded, kDenied when PostgreSQL refused it
  // the privilege (libpqxx 6.4 does not fill in the SQLSTATE), else the error.
  std::string AsRole(const std::string& sql) const {
    try {
      pqxx::connection connection(RoleUrl());
      pqxx::work work(connection);
      work.exec(sql);
      work.commit();
      return "";
    } catch (const pqxx::sql_error& e) {
      const std::string message = e.what();
      const bool denied = message.find("permission denied") != std::string::npos ||
                          message.find("must be owner") != std::string::npos;
      return denied ? kDenied : message;
    }
  }

  TestDatabase db_;
  std::string role_;
};

TEST_F(ServiceRoleTest, TheGrantedRoleMayAppendTheAuditLogButNeverRewriteIt) {
  ASSERT_TRUE(GrantServiceRole(db_.url(), role_).ok());
  db_.Exec(
      "SET session_replication_role = replica; "
      "INSERT INTO audit_events VALUES (1, now(), 'a', 'm', 'r', '', '', '{}', '', '');"
      "INSERT INTO audit_tree VALUES (0, 0, decode(repeat('00', 32), 'hex'));"
      "INSERT INTO audit_checkpoints VALUES (1, decode(repeat('00', 32), 'hex'), 'n')");
  for (const std::string table : {"audit_events", "audit_tree", "audit_checkpoints"}) {
    EXPECT_EQ(AsRole("SELECT count(*) FROM " + table), "") << table;
    EXPECT_EQ(AsRole("DELETE FROM " + table), kDenied) << table;
    EXPECT_EQ(AsRole("TRUNCATE " + table), kDenied) << table;
    EXPECT_EQ(AsRole("ALTER TABLE " + table + " DISABLE TRIGGER USER"), kDenied) << table;
  }
  EXPECT_EQ(AsRole("UPDATE audit_events SET actor = 'someone else'"), kDenied);
  EXPECT_EQ(AsRole("UPDATE audit_tree SET hash = hash"), kDenied);
  EXPECT_EQ(AsRole("UPDATE audit_checkpoints SET note = ''"), kDenied);
  EXPECT_EQ(AsRole("DROP TRIGGER audit_events_append_only ON audit_events"), kDenied);
  EXPECT_EQ(AsRole("CREATE TABLE mine (x int)"), kDenied);
  EXPECT_EQ(AsRole("INSERT INTO schema_migrations VALUES (999, 'x', 'y')"), kDenied);
  // What serving needs: queue entries, and the sealer's work.
  EXPECT_EQ(AsRole("INSERT INTO audit_pending (actor, method, resource, after_json) "
                   "VALUES ('a', 'm', 'r', '{}')"),
            "");
  EXPECT_EQ(AsRole("DELETE FROM audit_pending"), "");
  EXPECT_EQ(AsRole("UPDATE audit_head SET sequence = sequence"), "");

  auto rights = AuditRewriteRights(RoleUrl());
  ASSERT_TRUE(rights.ok()) << rights.status();
  EXPECT_EQ(*rights, "");
  auto owner_rights = AuditRewriteRights(db_.url());
  ASSERT_TRUE(owner_rights.ok()) << owner_rights.status();
  EXPECT_NE(owner_rights->find("superuser"), std::string::npos) << *owner_rights;
  // The schema is current, so the role can check it without creating anything.
  auto applied = ApplyMigrations(RoleUrl(), EmbeddedMigrations());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 0);
}

TEST_F(ServiceRoleTest, AServerOfTheGrantedRoleServesSealsAndSigns) {
  const auto migrated =
      RunProcess({ServerBinary(), "migrate", "--grant-to", role_}, {"DATABASE_URL=" + db_.url()});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  ServerProcess server(RoleUrl());
  auto requirements = v1::RequirementService::NewStub(server.Channel());
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    v1::UpdateRequirementRequest request;
    request.mutable_requirement()->set_name("frameworks/iso27001-2022/requirements/5.1.c");
    request.mutable_requirement()->set_owner("owner" + std::to_string(i) + "@example.com");
    request.mutable_update_mask()->add_paths("owner");
    v1::UpdateRequirementResponse response;
    ASSERT_TRUE(requirements->UpdateRequirement(&context, request, &response).ok());
  }
  auto audit = v1::AuditService::NewStub(server.Channel());
  v1::GetCheckpointResponse checkpoint;
  const auto give_up = DeadlineIn(20);
  while (checkpoint.tree_size() < 3 && std::chrono::system_clock::now() < give_up) {
    grpc::ClientContext context;
    (void)audit->GetCheckpoint(&context, {}, &checkpoint);
    usleep(50'000);
  }
  EXPECT_EQ(checkpoint.tree_size(), 3);
  const auto verified =
      RunProcess({CliBinary(), "audit", "verify", "--key", TestAuditVerifierKey()},
                 {"COMPLIANCE_SERVER=" + server.address()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST_F(ServiceRoleTest, GrantingRefusesUnknownRolesAndSuperusers) {
  EXPECT_EQ(GrantServiceRole(db_.url(), role_ + "_missing").code(), absl::StatusCode::kNotFound);
  pqxx::connection connection(db_.url());
  const std::string superuser =
      pqxx::nontransaction(connection).exec1("SELECT current_user")[0].c_str();
  EXPECT_EQ(GrantServiceRole(db_.url(), superuser).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace compliance::testing
