#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "domain/clock.h"
#include "oidc/oidc_verifier.h"
#include "store/token_store.h"

namespace compliance {

/// How long a token's validation is reused. With the watchers' 500 ms recheck it keeps the
/// contract's "a revoked token is refused within 5 s" (api.md).
inline constexpr absl::Duration kTokenCacheTtl = absl::Seconds(3);

/// Checks `authorization: Bearer <token>` and the role table of api.md on every RPC. A token
/// in the form of a JWT goes to `oidc` when there is one; any other to the token store.
/// Answers are remembered for a short while, so a revocation takes effect within `cache_ttl`
/// (at most 5 s by the contract) without a query per call, and a JWT is never accepted from
/// memory past its expiry; `clock` tells how old a remembered answer is.
class Authenticator {
 public:
  /// With `store` null, authentication is off: every caller is "anonymous" with every right.
  /// With `oidc` null, JWTs are looked up as API tokens (and so refused).
  Authenticator(TokenStore* store, absl::Duration cache_ttl, const Clock& clock,
                OidcVerifier* oidc = nullptr);

  /// The caller, if its token is valid and its role may call `full_method`.
  absl::StatusOr<Caller> Authorize(const grpc::ServerContextBase& context,
                                   const std::string& full_method);

  /// Like Authorize; with `may_block` false, from memory alone, and nullopt when the answer
  /// needs the database (a token not seen within `cache_ttl`).
  std::optional<absl::StatusOr<Caller>> Authorize(const grpc::ServerContextBase& context,
                                                  const std::string& full_method, bool may_block);

 private:
  // A caller, or why not, and until when that answer may be reused.
  struct Answer {
    absl::StatusOr<Caller> caller;
    absl::Time until;
  };

  // nullopt only when `may_block` is false and the token store or the identity provider
  // would have to be asked.
  std::optional<absl::StatusOr<Caller>> Authenticate(const grpc::ServerContextBase& context,
                                                     bool may_block);
  std::optional<Answer> LookUpApiToken(const std::string& token, bool may_block);
  std::optional<Answer> VerifyJwt(const std::string& token, bool may_block);

  TokenStore* const store_;
  const absl::Duration cache_ttl_;
  const Clock& clock_;
  OidcVerifier* const oidc_;
  absl::Mutex mutex_;
  // By token hash: the caller, or why the token was refused (so that a flood of bad tokens
  // costs no database round trips either).
  std::map<std::string, std::pair<absl::StatusOr<Caller>, absl::Time>> cache_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace compliance
