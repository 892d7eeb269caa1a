#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>

#include "compliance/v1/audit.pb.h"
#include "domain/audit.h"

namespace compliance {

/// A sealed event as the API shows it.
void ToProto(const AuditEvent& event, v1::AuditEvent* out);

/// One event of the live feed, serialized once as a WatchAuditEventsResponse so that every
/// watcher writes the same bytes (copying a ByteBuffer only takes a reference).
struct WatchMessage {
  int64_t sequence = 0;
  grpc::ByteBuffer bytes;
};

WatchMessage ToWatchMessage(const AuditEvent& event);

}  // namespace compliance
