#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "domain/oidc_claims.h"

namespace compliance {
namespace {

// The claim `name`: the token's member of that name, else the dotted path into nested
// objects (Keycloak's "realm_access.roles"); null when there is neither.
const nlohmann::json* FindClaim(const nlohmann::json& claims, const std::string& name) {
  if (auto it = claims.find(name); it != claims.end()) return &*it;
  const nlohmann::json* node = &claims;
  for (absl::string_view step : absl::StrSplit(name, '.')) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(std::string(step));
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node == &claims ? nullptr : node;
}

// A claim's values: the strings of an array, or the words of a string ("scp": "a b").
std::vector<std::string> ClaimValues(const nlohmann::json& claim) {
  std::vector<std::string> values;
  if (claim.is_string()) {
    values = absl::StrSplit(claim.get<std::string>(), ' ', absl::SkipEmpty());
  } else if (claim.is_array()) {
    for (const auto& value : claim) {
      if (value.is_string()) values.push_back(value.get<std::string>());
    }
  }
  return values;
}

// client_id (RFC 9068), else azp (OIDC), else sub: for a service account the client, which
// IdPs name readably, rather than the subject (a generated id in Entra ID and Keycloak).
std::optional<std::string> ActorOf(const nlohmann::json& claims) {
  for (const char* name : {"client_id", "azp", "sub"}) {
    auto it = claims.find(name);
    if (it != claims.end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
  }
  return std::nullopt;
}

std::optional<Role> StrongestRole(const std::vector<std::string>& values,
                                  const std::map<std::string, Role>& role_map) {
  std::optional<Role> strongest;
  for (const auto& value : values) {
    Role role;
    if (role_map.empty()) {
      if (!ParseRole(value, &role)) continue;
    } else {
      auto it = role_map.find(value);
      if (it == role_map.end()) continue;
      role = it->second;
    }
    if (!strongest || role > *strongest) strongest = role;
  }
  return strongest;
}

}  // namespace

absl::StatusOr<Caller> CallerFromClaims(const nlohmann::json& claims, const OidcPolicy& policy) {
  if (!claims.is_object()) return absl::UnauthenticatedError("the token's payload is no object");
  auto actor = ActorOf(claims);
  if (!actor) {
    return absl::UnauthenticatedError("the token names nobody (no client_id, azp or sub)");
  }
  const nlohmann::json* roles = FindClaim(claims, policy.roles_claim);
  const auto role =
      StrongestRole(roles ? ClaimValues(*roles) : std::vector<std::string>{}, policy.role_map);
  if (!role) {
    return absl::PermissionDeniedError(absl::StrCat("token of \"", *actor, "\": its claim \"",
                                                    policy.roles_claim,
                                                    "\" grants no role of this service"));
  }
  Caller caller{*actor, *role, {}};
  const nlohmann::json* sources = FindClaim(claims, policy.sources_claim);
  if (caller.role == Role::kIntegrator && sources != nullptr) {
    caller.sources = ClaimValues(*sources);
    if (caller.sources.empty()) {
      return absl::PermissionDeniedError(absl::StrCat("token of \"", *actor, "\": its claim \"",
                                                      policy.sources_claim, "\" names no source"));
    }
  }
  return caller;
}

absl::StatusOr<std::map<std::string, Role>> ParseRoleMap(const std::vector<std::string>& entries) {
  std::map<std::string, Role> role_map;
  for (const auto& entry : entries) {
    const size_t equals = entry.rfind('=');
    Role role;
    if (equals == std::string::npos || equals == 0 ||
        !ParseRole(absl::string_view(entry).substr(equals + 1), &role)) {
      return absl::InvalidArgumentError(
          absl::StrCat("role map entry \"", entry,
                       "\": expected CLAIM_VALUE=ROLE, ROLE one of viewer, integrator, editor, "
                       "admin"));
    }
    role_map[entry.substr(0, equals)] = role;
  }
  return role_map;
}

}  // namespace compliance
