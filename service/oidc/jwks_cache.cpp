#include "oidc/jwks_cache.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace compliance {
namespace {

std::string Describe(const JsonWebKeySet& set) {
  return absl::StrJoin(set.keys, ", ", [](std::string* out, const JsonWebKey& key) {
    absl::StrAppend(out, key.kid.empty() ? "(no kid)" : key.kid, " ", key.alg);
  });
}

}  // namespace

std::string DiscoveryUrl(const std::string& issuer) {
  absl::string_view base = issuer;
  absl::ConsumeSuffix(&base, "/");
  return absl::StrCat(base, "/.well-known/openid-configuration");
}

absl::StatusOr<std::string> JwksUriOfDiscovery(const std::string& document,
                                               const std::string& issuer) {
  const auto json = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return absl::InvalidArgumentError("discovery: not a JSON object");
  auto named = json.find("issuer");
  if (named == json.end() || !named->is_string() || named->get<std::string>() != issuer) {
    return absl::InvalidArgumentError(
        absl::StrCat("discovery: the document is not of issuer \"", issuer, "\""));
  }
  auto uri = json.find("jwks_uri");
  if (uri == json.end() || !uri->is_string()) {
    return absl::InvalidArgumentError("discovery: no jwks_uri");
  }
  return uri->get<std::string>();
}

JwksCache::JwksCache(JwksSettings settings, HttpGetter& http, const Clock& clock,
                     DegradedCounts* degraded)
    : settings_(std::move(settings)), http_(http), clock_(clock), degraded_(degraded) {}

std::optional<absl::StatusOr<JsonWebKey>> JwksCache::Find(const std::string& kid, bool may_block) {
  {
    absl::ReaderMutexLock lock(&mutex_);
    if (!FetchDue(kid, clock_.Now())) return Lookup(kid);
  }
  if (!may_block) return std::nullopt;
  {
    absl::MutexLock fetching(&fetch_mutex_);
    bool due;
    {
      absl::ReaderMutexLock lock(&mutex_);
      due = FetchDue(kid, clock_.Now());  // another caller may have fetched meanwhile
    }
    if (due) Fetch();
  }
  absl::ReaderMutexLock lock(&mutex_);
  return Lookup(kid);
}

bool JwksCache::FetchDue(const std::string& kid, absl::Time now) const {
  if (now < attempt_time_ + settings_.min_interval) return false;
  if (!keys_ || now >= fetch_time_ + settings_.refresh) return true;
  return FindKey(*keys_, kid) == nullptr;
}

absl::StatusOr<JsonWebKey> JwksCache::Lookup(const std::string& kid) const {
  if (!keys_) {
    return absl::UnavailableError(
        "the identity provider's keys could not be fetched yet; try again later");
  }
  if (const JsonWebKey* key = FindKey(*keys_, kid)) return *key;
  if (kid.empty()) {
    return absl::UnauthenticatedError(
        "the token is not valid: it names no key (kid) and the issuer has several");
  }
  return absl::UnauthenticatedError(
      absl::StrCat("the token is not valid: unknown key \"", kid, "\" (not in the issuer's JWKS)"));
}

absl::StatusOr<JsonWebKeySet> JwksCache::FetchSet() {
  auto uri = JwksUri();
  if (!uri.ok()) return uri.status();
  auto document = http_.Get(*uri);
  if (!document.ok()) return document.status();
  auto set = ParseJwks(*document);
  if (set.ok() && set->keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the key set at ", *uri,
        " has no key this server can use; left out: ", absl::StrJoin(set->skipped, "; ")));
  }
  return set;
}

void JwksCache::Fetch() {
  absl::StatusOr<JsonWebKeySet> set = FetchSet();
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mutex_);
  attempt_time_ = now;
  if (!set.ok()) {
    CountDegraded(degraded_, DegradedPath::kJwksFetchFailed);
    spdlog::warn("OIDC: cannot fetch the keys of {} ({}); {}", settings_.issuer,
                 std::string(set.status().message()),
                 keys_ ? "the keys fetched before stay in use" : "its tokens are refused");
    return;
  }
  if (!keys_ || Describe(*keys_) != Describe(*set)) {
    spdlog::info("OIDC: keys of {}: {}{}{}", settings_.issuer, Describe(*set),
                 set->skipped.empty() ? "" : "; left out: ", absl::StrJoin(set->skipped, "; "));
  }
  keys_ = *std::move(set);
  fetch_time_ = now;
}

absl::StatusOr<std::string> JwksCache::JwksUri() {
  if (jwks_uri_.empty() && !settings_.jwks_uri.empty()) jwks_uri_ = settings_.jwks_uri;
  if (!jwks_uri_.empty()) return jwks_uri_;
  auto document = http_.Get(DiscoveryUrl(settings_.issuer));
  if (!document.ok()) return document.status();
  auto uri = JwksUriOfDiscovery(*document, settings_.issuer);
  if (uri.ok()) jwks_uri_ = *uri;
  return uri;
}

}  // namespace compliance
