#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "api/audit_feed.h"
#include "domain/clock.h"
#include "server/webhook_delivery.h"
#include "server/webhook_events.h"
#include "store/webhook_delivery_store.h"

namespace compliance {

/// Delivery attempts by result, for compliance_webhook_deliveries_total{result}.
struct WebhookAttemptCounts {
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> failed{0};  ///< the receiver answered, but not 2xx
  std::atomic<uint64_t> error{0};   ///< no answer: refused, timed out, TLS
};

/// The webhook deliveries of one server process. Every second it leases the ACTIVE
/// subscriptions that no replica holds (or whose holder stopped renewing), and runs each on a
/// thread of its own (SubscriptionDelivery), so that a slow or dead receiver only ever holds
/// up its own subscription. Sealed() wakes every delivery at once.
class WebhookDispatcher final : private DeliveryHost {
 public:
  WebhookDispatcher(ConnectionPool& pool, const AuditFeed& feed, const Clock& clock,
                    DeliveryOptions options);
  ~WebhookDispatcher() override;

  void Start();
  /// Stops every delivery; each gives its lease up, so another replica continues at once.
  void Stop();
  /// Newer events were sealed.
  void Sealed();

  const WebhookAttemptCounts& counts() const { return counts_; }
  /// This process's name in the leases it holds.
  const std::string& owner() const { return owner_; }

 private:
  struct Running {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  int64_t Generation() override;
  void Wait(int64_t seen, absl::Time until) override;
  bool Stopping() override;
  void CountAttempt(const AttemptOutcome& outcome) override;

  void Run();
  /// Joins the deliveries that ended, then leases and starts new ones.
  void ClaimAndStart();

  const std::string owner_;
  const Clock& clock_;
  const DeliveryOptions options_;
  WebhookDeliveryStore store_;
  WebhookEvents events_;
  WebhookAttemptCounts counts_;
  absl::Mutex mutex_;
  int64_t generation_ ABSL_GUARDED_BY(mutex_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  // Only the dispatcher's own thread touches the map (and Stop, after joining it).
  std::map<std::string, std::unique_ptr<Running>> running_;
  std::thread thread_;
};

}  // namespace compliance
