#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "domain/clock.h"
#include "domain/oidc_claims.h"
#include "oidc/jwks_cache.h"

namespace compliance {

/// A caller authenticated by an identity provider's token, and when the token expires.
struct VerifiedToken {
  Caller caller;
  absl::Time expiry;
};

/// Verifies JWTs of one identity provider: the signature with the provider's key the token
/// names, then its issuer, audience and times, then maps its claims to a Caller.
class OidcVerifier {
 public:
  OidcVerifier(OidcPolicy policy, JwksCache& keys, const Clock& clock)
      : policy_(std::move(policy)), keys_(keys), clock_(clock) {}

  /// The token's caller; UNAUTHENTICATED (saying which check failed) or PERMISSION_DENIED (no
  /// role, no source) otherwise; UNAVAILABLE while the provider's keys cannot be fetched.
  /// With `may_block` false, nullopt when the answer needs a fetch of the keys.
  std::optional<absl::StatusOr<VerifiedToken>> Verify(absl::string_view token, bool may_block);

 private:
  const OidcPolicy policy_;
  JwksCache& keys_;
  const Clock& clock_;
};

}  // namespace compliance
