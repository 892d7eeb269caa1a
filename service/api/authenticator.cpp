#include "api/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "domain/sha256.h"

namespace compliance {

Authenticator::Authenticator(TokenStore* store, absl::Duration cache_ttl, const Clock& clock)
    : store_(store), cache_ttl_(cache_ttl), clock_(clock) {}

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
  const std::string token(value.substr(kBearer.size()));
  const std::string key = Sha256Hex(token);
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mutex_);
    auto cached = cache_.find(key);
    if (cached != cache_.end() && cached->second.second > now) return cached->second.first;
  }
  if (!may_block) return std::nullopt;
  // The query's deadline is real time, whatever clock judges the cache.
  auto caller = store_->Lookup(token, absl::Now() + absl::Seconds(5));
  // An unreachable database is not an answer about the token: nothing to remember.
  if (!caller.ok() && caller.status().code() != absl::StatusCode::kUnauthenticated) {
    return caller.status();
  }
  absl::MutexLock lock(&mutex_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: tokens are few, garbage is not
  cache_[key] = {caller, now + cache_ttl_};
  return caller;
}

}  // namespace compliance
