#include "store/service_role.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace compliance {
namespace {

constexpr char kRole[] = "SELECT rolsuper FROM pg_roles WHERE rolname = $1";
constexpr char kGrant[] = "SELECT compliance_grant_service_role($1)";

// What the current role may do to the audit tables that it should not.
constexpr char kRights[] = R"sql(
  SELECT r.rolsuper,
         bool_or(pg_has_role(t.tableowner, 'USAGE')),
         bool_or(has_table_privilege(t.schemaname || '.' || t.tablename, 'UPDATE') OR
                 has_table_privilege(t.schemaname || '.' || t.tablename, 'DELETE') OR
                 has_table_privilege(t.schemaname || '.' || t.tablename, 'TRUNCATE'))
  FROM pg_roles r, pg_tables t
  WHERE r.rolname = current_user AND t.schemaname = current_schema()
    AND t.tablename IN ('audit_events', 'audit_tree', 'audit_checkpoints')
  GROUP BY r.rolsuper)sql";

}  // namespace

absl::Status GrantServiceRole(const std::string& database_url, const std::string& role) {
  try {
    pqxx::connection connection(database_url);
    pqxx::work work(connection);
    const auto found = work.exec_params(kRole, role);
    if (found.empty()) {
      return absl::NotFoundError(
          absl::StrCat("--grant-to: no role \"", role, "\" (CREATE ROLE ", role, " LOGIN first)"));
    }
    if (found[0][0].as<bool>()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--grant-to: \"", role, "\" is a superuser; serve as a role that is not"));
    }
    work.exec_params(kGrant, role);
    work.commit();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("cannot grant to ", role, ": ", e.what()));
  }
}

absl::StatusOr<std::string> AuditRewriteRights(const std::string& database_url) {
  try {
    pqxx::connection connection(database_url);
    pqxx::nontransaction work(connection);
    const auto rows = work.exec(kRights);
    if (rows.empty()) return std::string();
    std::vector<std::string> why;
    if (rows[0][0].as<bool>()) why.push_back("is a superuser");
    if (rows[0][1].as<bool>()) why.push_back("owns the audit tables");
    if (rows[0][2].as<bool>()) why.push_back("may update, delete or truncate them");
    return absl::StrJoin(why, ", ");
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(e.what());
  } catch (const std::exception& e) {
    return absl::InternalError(e.what());
  }
}

}  // namespace compliance
