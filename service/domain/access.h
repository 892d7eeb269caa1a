#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// Roles of api.md, weakest first.
enum class Role : int { kViewer = 1, kIntegrator = 2, kEditor = 3, kAdmin = 4 };

/// What an RPC needs.
enum class Permission {
  kRead,              ///< every read, audit log included
  kIntegrate,         ///< CreateEvidence, BatchCreateEvidence, CompleteAction
  kWrite,             ///< every other write
  kAdministerTokens,  ///< token and webhook administration (admin only)
};

/// An authenticated caller.
struct Caller {
  std::string name;  ///< the token's name; the actor in audit events
  Role role = Role::kViewer;
  std::vector<std::string> sources;  ///< integrators only: the sources it may write; empty = any
};

/// Parses "viewer", "integrator", "editor", "admin".
bool ParseRole(absl::string_view text, Role* role);
/// The role's name.
const char* RoleName(Role role);

/// PERMISSION_DENIED unless `role` grants `permission`.
absl::Status CheckPermission(const Caller& caller, Permission permission);

/// PERMISSION_DENIED when the caller is limited to sources and `source` is not one of them;
/// `field` names the offending field.
absl::Status CheckSource(const Caller& caller, const std::string& field, const std::string& source);

/// The permission a full method name needs; kAdministerTokens for unknown methods, so that
/// an RPC forgotten in the table is closed rather than open.
Permission RequiredPermission(absl::string_view full_method);

}  // namespace compliance
