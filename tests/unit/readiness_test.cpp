#include "domain/readiness.h"

#include <gtest/gtest.h>

namespace compliance {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1796000000);

RequirementStatus Ready() {
  RequirementStatus s;
  s.requirement.conformity = Conformity::kConforming;
  s.requirement.owner = "ciso";
  s.requirement.valid_evidence_count = 1;
  s.requirement.last_review_time = kNow - absl::Hours(24);
  s.requirement.tracking_start_time = kNow - absl::Hours(24 * 30);
  return s;
}

TEST(ReadinessGaps, EachMissingThingIsOneGap) {
  EXPECT_TRUE(ReadinessGaps(Ready(), kNow).empty());
  RequirementStatus s = Ready();
  s.requirement.conformity = Conformity::kNotAssessed;
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kNotAssessed});
  s = Ready();
  s.requirement.conformity = Conformity::kNonconforming;
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kNonconforming});
  s = Ready();
  s.requirement.conformity = Conformity::kPartiallyConforming;
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kPartiallyConforming});
  s = Ready();
  s.requirement.valid_evidence_count = 0;
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kNoValidEvidence});
  s = Ready();
  s.requirement.overdue_action_count = 2;
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kActionOverdue});
  s = Ready();
  s.requirement.review_interval = absl::Hours(12);
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kReviewOverdue});
  s = Ready();
  s.requirement.owner.clear();
  EXPECT_EQ(ReadinessGaps(s, kNow), std::vector<ReadinessGap>{ReadinessGap::kNoOwner});
}

TEST(ReadinessScore, IsTheShareOfReadyRequirements) {
  RequirementStatus gap = Ready();
  gap.requirement.owner.clear();
  EXPECT_DOUBLE_EQ(ReadinessScore({Ready(), gap, Ready(), gap}, kNow), 0.5);
  EXPECT_DOUBLE_EQ(ReadinessScore({}, kNow), 0);
}

}  // namespace
}  // namespace compliance
