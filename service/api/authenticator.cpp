#include "api/authenticator.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "domain/jws.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

// The token of the call's "authorization: Bearer <token>" metadata.
absl::StatusOr<std::string> BearerToken(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return absl::UnauthenticatedError(
        "no token: send the metadata \"authorization: Bearer <token>\"");
  }
  const absl::string_view value(header->second.data(), header->second.size());
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError("the authorization metadata must read \"Bearer <token>\"");
  }
  return std::string(value.substr(kBearer.size()));
}

// Whether an answer is about the token itself, and so worth remembering: an unreachable
// database or identity provider says nothing about it.
bool AboutTheToken(const absl::Status& status) {
  return status.ok() || status.code() == absl::StatusCode::kUnauthenticated ||
         status.code() == absl::StatusCode::kPermissionDenied;
}

}  // namespace

Authenticator::Authenticator(TokenStore* store, absl::Duration cache_ttl, const Clock& clock,
                             OidcVerifier* oidc)
    : store_(store), cache_ttl_(cache_ttl), clock_(clock), oidc_(oidc) {}

absl::StatusOr<Caller> Authenticator::Authorize(const grpc::ServerContextBase& context,
                                                const std::string& full_method) {
  return *Authorize(context, full_method, /*may_block=*/true);
}

std::optional<absl::StatusOr<Caller>> Authenticator::Authorize(
    const grpc::ServerContextBase& context, const std::string& full_method, bool may_block) {
  auto caller = Authenticate(context, may_block);
  if (!caller || !caller->ok()) return caller;
  if (auto s = CheckPermission(**caller, RequiredPermission(full_method)); !s.ok()) return {s};
  return caller;
}

std::optional<absl::StatusOr<Caller>> Authenticator::Authenticate(
    const grpc::ServerContextBase& context, bool may_block) {
  if (store_ == nullptr) return {Caller{"anonymous", Role::kAdmin, {}}};
  auto token = BearerToken(context);
  if (!token.ok()) return {token.status()};
  const std::string key = Sha256Hex(*token);
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mutex_);
    auto cached = cache_.find(key);
    if (cached != cache_.end() && cached->second.second > now) return cached->second.first;
  }
  auto answer = oidc_ != nullptr && LooksLikeJwt(*token) ? VerifyJwt(*token, may_block)
                                                         : LookUpApiToken(*token, may_block);
  if (!answer) return std::nullopt;
  if (AboutTheToken(answer->caller.status())) {
    absl::MutexLock lock(&mutex_);
    if (cache_.size() > 10000) cache_.clear();  // bounded: tokens are few, garbage is not
    cache_[key] = {answer->caller, std::min(now + cache_ttl_, answer->until)};
  }
  return answer->caller;
}

std::optional<Authenticator::Answer> Authenticator::LookUpApiToken(const std::string& token,
                                                                   bool may_block) {
  if (!may_block) return std::nullopt;
  // The query's deadline is real time, whatever clock judges the cache.
  return Answer{store_->Lookup(token, absl::Now() + absl::Seconds(5)), absl::InfiniteFuture()};
}

std::optional<Authenticator::Answer> Authenticator::VerifyJwt(const std::string& token,
                                                              bool may_block) {
  auto verified = oidc_->Verify(token, may_block);
  if (!verified) return std::nullopt;
  if (!verified->ok()) return Answer{verified->status(), absl::InfiniteFuture()};
  return Answer{(*verified)->caller, (*verified)->expiry};
}

}  // namespace compliance
