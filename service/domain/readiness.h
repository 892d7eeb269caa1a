#pragma once

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "domain/requirement.h"

namespace compliance {

/// One reason a requirement is not ready for audit; numbered as compliance.v1.ReadinessGap.
enum class ReadinessGap : int {
  kNotAssessed = 1,
  kNonconforming = 2,
  kPartiallyConforming = 3,
  kNoValidEvidence = 4,
  kActionOverdue = 5,
  kReviewOverdue = 6,
  kNoOwner = 7,
};

/// A requirement with the figures the readiness report and the metrics need, all read in
/// one snapshot.
struct RequirementStatus {
  Requirement requirement;  ///< with its live counts
  int32_t expired_evidence_count = 0;
  std::optional<absl::Time> oldest_open_due;
};

/// What stands between the requirement and audit readiness at `now`, in enum order.
std::vector<ReadinessGap> ReadinessGaps(const RequirementStatus& status, absl::Time now);

/// Ready requirements divided by all of them; 0 for none.
double ReadinessScore(const std::vector<RequirementStatus>& statuses, absl::Time now);

}  // namespace compliance
