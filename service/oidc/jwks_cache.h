#pragma once

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/clock.h"
#include "domain/degraded_counts.h"
#include "domain/jwk.h"
#include "oidc/https_getter.h"

namespace compliance {

/// Where an identity provider's keys are and how often to fetch them.
struct JwksSettings {
  std::string issuer;
  std::string jwks_uri;  ///< empty: the jwks_uri of {issuer}/.well-known/openid-configuration
  absl::Duration refresh = absl::Minutes(10);       ///< keys older than this are fetched anew
  absl::Duration min_interval = absl::Seconds(10);  ///< never two fetches closer than this
};

/// The identity provider's signing keys (JWKS), fetched when first needed, again when older
/// than `refresh`, and again when a token names a key the set lacks (the provider rotated
/// its keys), never twice within `min_interval`, so that tokens with made-up kids cannot turn
/// the server against the provider. A failed fetch keeps the keys it had, is logged, and
/// counted as jwks_fetch_failed.
class JwksCache {
 public:
  JwksCache(JwksSettings settings, HttpGetter& http, const Clock& clock, DegradedCounts* degraded);

  /// The key `kid` names (the set's only key when `kid` is empty). UNAUTHENTICATED for a kid
  /// the set lacks, UNAVAILABLE while no set could be fetched. With `may_block` false, nullopt
  /// when the answer needs a fetch.
  std::optional<absl::StatusOr<JsonWebKey>> Find(const std::string& kid, bool may_block);

 private:
  bool FetchDue(const std::string& kid, absl::Time now) const ABSL_SHARED_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<JsonWebKey> Lookup(const std::string& kid) const
      ABSL_SHARED_LOCKS_REQUIRED(mutex_);
  void Fetch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(fetch_mutex_);
  absl::StatusOr<JsonWebKeySet> FetchSet() ABSL_EXCLUSIVE_LOCKS_REQUIRED(fetch_mutex_);
  absl::StatusOr<std::string> JwksUri() ABSL_EXCLUSIVE_LOCKS_REQUIRED(fetch_mutex_);

  const JwksSettings settings_;
  HttpGetter& http_;
  const Clock& clock_;
  DegradedCounts* const degraded_;
  // One fetch at a time; callers that waited for it find its keys.
  absl::Mutex fetch_mutex_ ABSL_ACQUIRED_BEFORE(mutex_);
  std::string jwks_uri_ ABSL_GUARDED_BY(fetch_mutex_);  // once discovered, kept
  mutable absl::Mutex mutex_;
  std::optional<JsonWebKeySet> keys_ ABSL_GUARDED_BY(mutex_);
  absl::Time fetch_time_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();    // last success
  absl::Time attempt_time_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();  // last try
};

/// The jwks_uri of an OpenID Provider Configuration document, which must name `issuer` as its
/// issuer (OpenID Connect Discovery §4.3); INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> JwksUriOfDiscovery(const std::string& document,
                                               const std::string& issuer);

/// Where an issuer's OpenID Provider Configuration is: {issuer without a trailing
/// slash}/.well-known/openid-configuration.
std::string DiscoveryUrl(const std::string& issuer);

}  // namespace compliance
