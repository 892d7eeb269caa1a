#include "domain/readiness.h"

namespace compliance {

std::vector<ReadinessGap> ReadinessGaps(const RequirementStatus& status, absl::Time now) {
  const Requirement& r = status.requirement;
  std::vector<ReadinessGap> gaps;
  switch (r.conformity) {
    case Conformity::kConforming:
      break;
    case Conformity::kNonconforming:
      gaps.push_back(ReadinessGap::kNonconforming);
      break;
    case Conformity::kPartiallyConforming:
      gaps.push_back(ReadinessGap::kPartiallyConforming);
      break;
    default:
      gaps.push_back(ReadinessGap::kNotAssessed);
  }
  if (r.valid_evidence_count == 0) gaps.push_back(ReadinessGap::kNoValidEvidence);
  if (r.overdue_action_count > 0) gaps.push_back(ReadinessGap::kActionOverdue);
  if (IsReviewOverdue(r, now)) gaps.push_back(ReadinessGap::kReviewOverdue);
  if (r.owner.empty()) gaps.push_back(ReadinessGap::kNoOwner);
  return gaps;
}

double ReadinessScore(const std::vector<RequirementStatus>& statuses, absl::Time now) {
  if (statuses.empty()) return 0;
  int ready = 0;
  for (const auto& status : statuses) ready += ReadinessGaps(status, now).empty() ? 1 : 0;
  return static_cast<double>(ready) / static_cast<double>(statuses.size());
}

}  // namespace compliance
