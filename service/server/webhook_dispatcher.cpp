#include "server/webhook_dispatcher.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/random_id.h"

namespace compliance {
namespace {

constexpr absl::Duration kClaimInterval = absl::Seconds(1);
constexpr int kClaimLimit = 1000;

// host/pid/random: tells in the table which process holds a lease, and is never reused.
std::string OwnerName() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  const auto random = RandomBytes(4);
  return absl::StrCat(host, "/", getpid(), "/",
                      random ? absl::BytesToHexString(*random) : std::string("0"));
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(ConnectionPool& pool, const AuditFeed& feed,
                                     const Clock& clock, DeliveryOptions options)
    : owner_(OwnerName()),
      clock_(clock),
      options_(std::move(options)),
      store_(pool, owner_),
      events_(pool, feed) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void WebhookDispatcher::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  for (auto& [id, running] : running_) running->thread.join();
  running_.clear();
}

void WebhookDispatcher::Sealed() {
  absl::MutexLock lock(&mutex_);
  ++generation_;
}

int64_t WebhookDispatcher::Generation() {
  absl::MutexLock lock(&mutex_);
  return generation_;
}

void WebhookDispatcher::Wait(int64_t seen, absl::Time until) {
  absl::MutexLock lock(&mutex_);
  const auto woken = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return stopping_ || generation_ != seen;
  };
  mutex_.AwaitWithDeadline(absl::Condition(&woken), until);
}

bool WebhookDispatcher::Stopping() {
  absl::MutexLock lock(&mutex_);
  return stopping_;
}

void WebhookDispatcher::CountAttempt(const AttemptOutcome& outcome) {
  auto& counter = outcome.delivered                      ? counts_.delivered
                  : outcome.error.rfind("HTTP ", 0) == 0 ? counts_.failed
                                                         : counts_.error;
  counter.fetch_add(1, std::memory_order_relaxed);
}

void WebhookDispatcher::Run() {
  while (true) {
    ClaimAndStart();
    absl::MutexLock lock(&mutex_);
    const auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_; };
    if (mutex_.AwaitWithTimeout(absl::Condition(&stopping), kClaimInterval)) return;
  }
}

void WebhookDispatcher::ClaimAndStart() {
  std::vector<std::string> held;
  for (auto it = running_.begin(); it != running_.end();) {
    if (it->second->done.load(std::memory_order_acquire)) {
      it->second->thread.join();
      it = running_.erase(it);
    } else {
      held.push_back(it->first);
      ++it;
    }
  }
  auto claimed = store_.Claim(options_.lease, kClaimLimit, held, absl::Now() + absl::Seconds(10));
  if (!claimed.ok()) {
    spdlog::debug("webhooks: no subscriptions claimed: {}",
                  std::string(claimed.status().message()));
    return;
  }
  for (const auto& id : *claimed) {
    auto running = std::make_unique<Running>();
    Running* raw = running.get();
    running->thread = std::thread([this, id, raw] {
      SubscriptionDelivery(id, store_, events_, *this, clock_, options_).Run();
      raw->done.store(true, std::memory_order_release);
    });
    running_.emplace(id, std::move(running));
  }
}

}  // namespace compliance
