#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "api/evidence_json.h"
#include "domain/audit.h"

namespace compliance {

/// A message as proto JSON, the form the audit log keeps resources in.
std::string ProtoJson(const google::protobuf::Message& message);

/// The audit log's JSON of a resource: ProtoJson, through a writer of its own for the types
/// written in bulk (the same bytes, faster).
inline std::string AuditJson(const google::protobuf::Message& message) {
  return ProtoJson(message);
}
inline std::string AuditJson(const v1::Evidence& evidence) { return EvidenceJson(evidence); }

/// Describes mutations of a T as audit entries, rendering T through its API message Proto
/// (via the ToProto overload of its mapping) as it reads at `now`.
template <typename Proto, typename T>
AuditFn<T> MakeAuditor(std::string actor, std::string method, std::string request_id,
                       absl::Time now) {
  return [=](const T* before, const T& after) {
    Proto after_proto;
    ToProto(after, now, &after_proto);
    AuditEntry entry{actor, method, after_proto.name(), request_id, "", AuditJson(after_proto)};
    if (before != nullptr) {
      Proto before_proto;
      ToProto(*before, now, &before_proto);
      entry.before_json = AuditJson(before_proto);
    }
    return entry;
  };
}

}  // namespace compliance
