#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compliance/v1/audit.pb.h"

namespace compliance {

// What each AuditService request must be before the handler reads anything; also fuzzed,
// tests/fuzz. Sizes of 0 mean the newest checkpoint's size.

/// A validated ListAuditEvents request.
struct ListAuditQuery {
  int64_t after_sequence = 0;  ///< the request's, or the page token's when one is given
  std::string resource;
  int page_size = 0;
  std::string fingerprint;  ///< binds page tokens to these filters
};
absl::StatusOr<ListAuditQuery> ParseListAuditEvents(const v1::ListAuditEventsRequest& request);

absl::Status CheckWatchAuditEvents(const v1::WatchAuditEventsRequest& request);
absl::Status CheckInclusionProofRequest(const v1::GetInclusionProofRequest& request);
absl::Status CheckConsistencyProofRequest(const v1::GetConsistencyProofRequest& request);

}  // namespace compliance
