#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "api/audit_feed.h"
#include "compliance/v1/audit.pb.h"
#include "store/audit_store.h"

namespace compliance {

/// The sealed events deliveries are made of: from the audit worker's memory when it reaches
/// back far enough (a hundred subscriptions cost one read of the log per event, as the
/// watchers do), else from the table.
class WebhookEvents {
 public:
  WebhookEvents(ConnectionPool& pool, const AuditFeed& feed) : store_(pool), feed_(feed) {}

  /// Up to `limit` sealed events after `after_sequence`, in sequence order, without gaps.
  absl::StatusOr<std::vector<v1::AuditEvent>> After(int64_t after_sequence, int limit);

 private:
  AuditStore store_;
  const AuditFeed& feed_;
};

}  // namespace compliance
