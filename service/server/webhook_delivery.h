#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "compliance/v1/audit.pb.h"
#include "domain/clock.h"
#include "domain/webhook_delivery.h"
#include "server/webhook_events.h"
#include "server/webhook_sender.h"
#include "store/webhook_delivery_store.h"

namespace compliance {

/// How subscriptions are delivered (server flags).
struct DeliveryOptions {
  absl::Duration lease = absl::Seconds(30);  ///< how long a replica's claim lasts unrenewed
  RetryPolicy retry;
  SenderOptions sender;
  int batch = 100;  ///< events read at a time
};

/// What the delivery loops of one process share: the wake-up on new events, the stop, and
/// the counters.
class DeliveryHost {
 public:
  virtual ~DeliveryHost() = default;
  /// Changes whenever newer events were sealed.
  virtual int64_t Generation() = 0;
  /// Waits until the generation differs from `seen`, the host stops, or `until`.
  virtual void Wait(int64_t seen, absl::Time until) = 0;
  virtual bool Stopping() = 0;
  /// Counts an attempt: "delivered", "failed" (the receiver answered otherwise) or "error"
  /// (no answer).
  virtual void CountAttempt(const AttemptOutcome& outcome) = 0;
};

/// Delivers one subscription while this process holds its lease: the events after its cursor,
/// in order, each until the receiver takes it; after a failure it waits as RetryPolicy says,
/// and pauses the subscription when the failures last too long. Run() returns when the lease
/// is lost, the subscription is paused or deleted, or the host stops (then it gives the lease
/// up, so another replica continues at once).
class SubscriptionDelivery {
 public:
  SubscriptionDelivery(std::string id, WebhookDeliveryStore& store, WebhookEvents& events,
                       DeliveryHost& host, const Clock& clock, const DeliveryOptions& options);

  void Run();

 private:
  enum class Step { kProgress, kIdle, kBackoff, kStop };

  /// Extends the lease and reloads the subscription; false when it must stop.
  bool Renew();
  /// Delivers a batch of what is sealed after the cursor.
  Step DeliverBatch();
  /// One event to the receiver, and what follows from the answer.
  Step Attempt(const v1::AuditEvent& event);
  Step Failed(const AttemptOutcome& outcome, absl::Time now);
  /// Moves the cursor past filtered-out events, recording it when the last record of such a
  /// move is a second old (else the next delivery, renewal or release does); false when the
  /// lease is lost.
  bool Skip(int64_t sequence);
  /// Records the cursor where only filtered-out events moved it; false when the lease is lost.
  bool RecordSkipped();
  absl::Time Deadline() const;

  const std::string id_;
  const std::string name_;  ///< its resource name in audit events
  WebhookDeliveryStore& store_;
  WebhookEvents& events_;
  DeliveryHost& host_;
  const Clock& clock_;
  const DeliveryOptions& options_;
  std::optional<WebhookTarget> target_;
  std::vector<std::string> keys_;  ///< the secrets' keys, current first
  std::unique_ptr<WebhookSender> sender_;
  std::string sender_url_;
  absl::Time renew_due_;
  absl::Time lease_until_;        ///< past this without a renewal, another replica may deliver
  bool skip_unrecorded_ = false;  ///< the cursor moved past filtered-out events only
  absl::Time skip_record_due_;    ///< when such a move is next recorded at once
};

}  // namespace compliance
