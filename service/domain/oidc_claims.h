#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/access.h"

namespace compliance {

/// Clock skew tolerated on a token's `exp`, `nbf` and `iat`.
inline constexpr absl::Duration kTokenClockSkew = absl::Seconds(60);

/// What the identity provider's tokens must say, and how their claims become a Caller.
struct OidcPolicy {
  std::string issuer;    ///< `iss`, compared exactly
  std::string audience;  ///< must be `aud` or one of its values
  /// The claim holding roles or groups: a name, or a dotted path into nested objects
  /// ("realm_access.roles"); a name with dots that the token has as it is wins.
  std::string roles_claim = "roles";
  /// Claim value → role; empty: the values "viewer", "integrator", "editor", "admin".
  std::map<std::string, Role> role_map;
  /// The claim listing the sources an integrator may write; absent from a token: any.
  std::string sources_claim = "compliance_sources";
};

/// OK when `claims` come from `policy.issuer` for `policy.audience` and hold at `now`: `exp`
/// is required, `nbf` and `iat` are checked when present, each with kTokenClockSkew.
/// Otherwise UNAUTHENTICATED saying which check failed.
absl::Status CheckTokenClaims(const nlohmann::json& claims, const OidcPolicy& policy,
                              absl::Time now);

/// When `claims` expire (`exp`); InfinitePast when they do not say.
absl::Time TokenExpiry(const nlohmann::json& claims);

/// The caller that verified `claims` describe. Its name, the actor of audit events, is the
/// `client_id` claim, else `azp`, else `sub` (UNAUTHENTICATED when none is a string). Its role
/// is the strongest the roles claim maps to (PERMISSION_DENIED when none does). An integrator
/// is limited to the sources claim's values; a sources claim that names none is refused
/// (PERMISSION_DENIED) rather than read as "any".
absl::StatusOr<Caller> CallerFromClaims(const nlohmann::json& claims, const OidcPolicy& policy);

/// Parses "claim value=role" entries (split at the last '='); INVALID_ARGUMENT naming the
/// entry otherwise.
absl::StatusOr<std::map<std::string, Role>> ParseRoleMap(const std::vector<std::string>& entries);

}  // namespace compliance
