#include "server/webhook_events.h"

#include <string>

#include "api/audit_mapping.h"

namespace compliance {
namespace {

constexpr absl::Duration kReadTimeout = absl::Seconds(10);

// The event inside a serialized WatchAuditEventsResponse of the feed.
bool ParseWatchMessage(const WatchMessage& message, v1::AuditEvent* out) {
  std::vector<grpc::Slice> slices;
  if (!message.bytes.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const auto& slice : slices) bytes.append(slice.begin(), slice.end());
  v1::WatchAuditEventsResponse response;
  if (!response.ParseFromString(bytes)) return false;
  *out = std::move(*response.mutable_audit_event());
  return true;
}

}  // namespace

absl::StatusOr<std::vector<v1::AuditEvent>> WebhookEvents::After(int64_t after_sequence,
                                                                 int limit) {
  std::vector<v1::AuditEvent> events;
  if (feed_.following()) {
    if (auto recent = feed_.RecentAfter(after_sequence, limit)) {
      events.resize(recent->size());
      bool parsed = true;
      for (size_t i = 0; i < recent->size() && parsed; ++i) {
        parsed = ParseWatchMessage((*recent)[i], &events[i]);
      }
      if (parsed) return events;
      events.clear();
    }
  }
  auto rows = store_.List(after_sequence, "", limit, absl::Now() + kReadTimeout);
  if (!rows.ok()) return rows.status();
  events.resize(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) ToProto((*rows)[i], &events[i]);
  return events;
}

}  // namespace compliance
