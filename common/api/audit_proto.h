#pragma once

#include "compliance/v1/audit.pb.h"
#include "domain/audit.h"

namespace compliance {

/// An event as the API showed it, for clients that recompute its hashes (the server only ever
/// writes events out, in service/api/audit_mapping).
AuditEvent FromProto(const v1::AuditEvent& event);

}  // namespace compliance
