#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace compliance {

/// Grants `role` what serving needs and no more (migration 0009's
/// compliance_grant_service_role): it may read and append the audit log, its tree and its
/// checkpoints, but not change or remove them, and owns nothing. Refuses a superuser or a
/// role that does not exist. Runs as the schema's owner, after migrating.
absl::Status GrantServiceRole(const std::string& database_url, const std::string& role);

/// Why the role `database_url` connects as could rewrite the audit log unnoticed by the
/// database itself (superuser, owner of the audit tables, or granted UPDATE, DELETE or
/// TRUNCATE on them); empty when it cannot.
absl::StatusOr<std::string> AuditRewriteRights(const std::string& database_url);

}  // namespace compliance
