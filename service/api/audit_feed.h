#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "api/audit_mapping.h"

namespace compliance {

/// Recently sealed events held in memory for the watchers of WatchAuditEvents, so that a
/// hundred watchers cost one read of the log per event, not a hundred (server/audit_worker.h
/// keeps them).
class AuditFeed {
 public:
  virtual ~AuditFeed() = default;

  /// Whether memory follows the log; while it does not, watchers poll the table.
  virtual bool following() const = 0;

  /// Up to `limit` sealed events after `after_sequence`, in sequence order and without gaps;
  /// nullopt when memory no longer reaches back that far (read the table).
  virtual std::optional<std::vector<WatchMessage>> RecentAfter(int64_t after_sequence,
                                                               int limit) const = 0;
};

}  // namespace compliance
