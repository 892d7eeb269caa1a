#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "config.h"
#include "domain/clock.h"
#include "domain/degraded_counts.h"
#include "oidc/https_getter.h"
#include "oidc/jwks_cache.h"
#include "oidc/oidc_verifier.h"

namespace compliance {

/// The identity provider of --oidc-issuer: its HTTPS client, its key cache and the verifier
/// of its tokens, built together and kept together.
struct IdentityProvider {
  IdentityProvider(OidcPolicy policy, JwksSettings settings, const Clock& clock,
                   DegradedCounts& degraded)
      : keys(std::move(settings), http, clock, &degraded),
        verifier(std::move(policy), keys, clock) {}

  HttpsGetter http;
  JwksCache keys;
  OidcVerifier verifier;
};

/// The identity provider `config` names, null when it names none; INVALID_ARGUMENT for
/// settings that cannot work (a role map that does not parse, an issuer in clear text).
/// Nothing is fetched yet: a provider that is down at start-up must not stop API tokens.
absl::StatusOr<std::unique_ptr<IdentityProvider>> MakeIdentityProvider(const OidcConfig& config,
                                                                       const Clock& clock,
                                                                       DegradedCounts& degraded);

}  // namespace compliance
