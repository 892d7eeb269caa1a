#include "api/audit_mapping.h"

#include "absl/strings/str_cat.h"
#include "api/proto_time.h"

namespace compliance {

void ToProto(const AuditEvent& event, v1::AuditEvent* out) {
  out->set_name(absl::StrCat("auditEvents/", event.sequence));
  out->set_sequence(event.sequence);
  ToProto(event.time, out->mutable_time());
  out->set_actor(event.entry.actor);
  out->set_method(event.entry.method);
  out->set_resource(event.entry.resource);
  out->set_request_id(event.entry.request_id);
  out->set_before_json(event.entry.before_json);
  out->set_after_json(event.entry.after_json);
  out->set_prev_hash(event.prev_hash);
  out->set_hash(event.hash);
}

WatchMessage ToWatchMessage(const AuditEvent& event) {
  v1::WatchAuditEventsResponse response;
  ToProto(event, response.mutable_audit_event());
  // Serialized straight into the slice that every stream sends, not into a string first.
  grpc::Slice slice(response.ByteSizeLong());
  response.SerializeWithCachedSizesToArray(const_cast<uint8_t*>(slice.begin()));
  return WatchMessage{event.sequence, grpc::ByteBuffer(&slice, 1)};
}

}  // namespace compliance
