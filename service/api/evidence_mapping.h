#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compliance/v1/evidence.pb.h"
#include "domain/evidence.h"

namespace compliance {

/// Fills the API message; `expired` is evaluated at `now`.
void ToProto(const Evidence& evidence, absl::Time now, v1::Evidence* out);

/// Validates a create request at `now`; errors name `<path>evidence.<field>` and
/// `<path>request_id`, where `path` is "" alone or "requests[i]." in a batch.
absl::StatusOr<NewEvidence> ParseCreateEvidence(const v1::CreateEvidenceRequest& request,
                                                const std::string& path, absl::Time now);

}  // namespace compliance
