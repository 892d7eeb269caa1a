#include "api/audit_proto.h"

namespace compliance {

AuditEvent FromProto(const v1::AuditEvent& event) {
  AuditEvent out;
  out.sequence = event.sequence();
  out.time =
      absl::FromUnixSeconds(event.time().seconds()) + absl::Nanoseconds(event.time().nanos());
  out.entry = {event.actor(),      event.method(),      event.resource(),
               event.request_id(), event.before_json(), event.after_json()};
  out.prev_hash = event.prev_hash();
  out.hash = event.hash();
  return out;
}

}  // namespace compliance
