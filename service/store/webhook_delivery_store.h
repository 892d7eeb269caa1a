#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/webhook.h"
#include "domain/webhook_delivery.h"
#include "store/connection_pool.h"

namespace compliance {

/// What the replica that holds a subscription's lease needs to deliver to it.
struct WebhookTarget {
  std::string id;
  WebhookFields fields;
  std::vector<std::string> secrets;  ///< the current one, then the previous one while it signs
  int64_t delivered_sequence = 0;
  FailureRun failures;
  std::optional<absl::Time> next_attempt_time;
};

/// One subscription's backlog, for the metrics.
struct WebhookLag {
  std::string id;
  WebhookState state = WebhookState::kActive;
  int64_t events = 0;  ///< sealed events after its cursor
};

/// The delivery state of subscriptions, as one replica (`owner`) sees and writes it. A lease
/// in the row says which replica delivers a subscription; every write of delivery state is
/// conditional on holding it, so a replica that lost its lease can no longer move the cursor.
class WebhookDeliveryStore {
 public:
  WebhookDeliveryStore(ConnectionPool& pool, std::string owner)
      : pool_(pool), owner_(std::move(owner)) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Leases up to `limit` ACTIVE subscriptions that no replica holds (or whose lease lapsed)
  /// for `lease`, skipping those in `held`; returns their ids.
  absl::StatusOr<std::vector<std::string>> Claim(absl::Duration lease, int limit,
                                                 const std::vector<std::string>& held,
                                                 absl::Time deadline);

  /// Extends a held lease and reads the subscription as it now is; nullopt when the lease was
  /// lost or the subscription deleted or paused.
  absl::StatusOr<std::optional<WebhookTarget>> Renew(const std::string& id, absl::Duration lease,
                                                     absl::Time deadline);

  /// Moves the cursor to `sequence`; `delivered`: the receiver took that event, which ends a
  /// run of failures. False when the lease is lost.
  absl::StatusOr<bool> RecordProgress(const std::string& id, int64_t sequence, bool delivered,
                                      absl::Time deadline);

  /// Records a failed attempt as decided (pausing gives the lease up). False when the lease is
  /// lost.
  absl::StatusOr<bool> RecordFailure(const std::string& id, const FailureDecision& decision,
                                     const std::string& error, absl::Time deadline);

  /// Gives a held lease up, so that another replica takes over at once.
  absl::Status Release(const std::string& id, absl::Time deadline);

  /// Every subscription's backlog.
  absl::StatusOr<std::vector<WebhookLag>> Lags(absl::Time deadline);

 private:
  ConnectionPool& pool_;
  const std::string owner_;
};

}  // namespace compliance
