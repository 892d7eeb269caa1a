#include "server/identity_provider.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<IdentityProvider>> MakeIdentityProvider(const OidcConfig& config,
                                                                       const Clock& clock,
                                                                       DegradedCounts& degraded) {
  if (config.issuer.empty()) return nullptr;
  for (const auto& [flag, url] :
       {std::pair{"--oidc-issuer", config.issuer}, std::pair{"--oidc-jwks-uri", config.jwks_uri}}) {
    if (url.empty()) continue;
    if (auto status = CheckFetchUrl(url); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": ", status.message()));
    }
  }
  auto role_map = ParseRoleMap(config.role_map);
  if (!role_map.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--oidc-role-map: ", role_map.status().message()));
  }
  OidcPolicy policy{config.issuer, config.audience, config.roles_claim, *std::move(role_map),
                    config.sources_claim};
  JwksSettings settings{config.issuer, config.jwks_uri, absl::Seconds(config.jwks_refresh_seconds),
                        absl::Seconds(config.jwks_min_interval_seconds)};
  spdlog::info("OIDC: accepting tokens of {} for audience {}; roles from claim \"{}\"{}",
               config.issuer, config.audience, config.roles_claim,
               config.role_map.empty()
                   ? " (role names)"
                   : absl::StrCat(" (", absl::StrJoin(config.role_map, ", "), ")"));
  return std::make_unique<IdentityProvider>(std::move(policy), std::move(settings), clock,
                                            degraded);
}

}  // namespace compliance
