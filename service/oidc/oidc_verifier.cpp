#include "oidc/oidc_verifier.h"

#include "domain/jws.h"

namespace compliance {

std::optional<absl::StatusOr<VerifiedToken>> OidcVerifier::Verify(absl::string_view token,
                                                                  bool may_block) {
  auto jws = DecodeCompactJws(token);
  if (!jws.ok()) return {jws.status()};
  auto key = keys_.Find(jws->kid, may_block);
  if (!key) return std::nullopt;
  if (!key->ok()) return {key->status()};
  // The signature first: nothing an unsigned token says is worth an answer of its own.
  if (auto status = VerifyJwsSignature(*jws, **key); !status.ok()) return {status};
  if (auto status = CheckTokenClaims(jws->claims, policy_, clock_.Now()); !status.ok()) {
    return {status};
  }
  auto caller = CallerFromClaims(jws->claims, policy_);
  if (!caller.ok()) return {caller.status()};
  return {VerifiedToken{*std::move(caller), TokenExpiry(jws->claims)}};
}

}  // namespace compliance
