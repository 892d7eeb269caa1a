#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "domain/requirement.h"

namespace compliance {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

Requirement Tracked() {
  Requirement r;
  r.tracking_start_time = kStart;
  return r;
}

TEST(NextReviewTime, NeverReviewedCountsFromTrackingStart) {
  Requirement r = Tracked();
  EXPECT_EQ(NextReviewTime(r), kStart + absl::Hours(24 * 365));
  r.review_interval = absl::Hours(24 * 90);
  EXPECT_EQ(NextReviewTime(r), kStart + absl::Hours(24 * 90));
}

TEST(NextReviewTime, CountsFromLastReview) {
  Requirement r = Tracked();
  r.last_review_time = kStart + absl::Hours(24 * 10);
  r.review_interval = absl::Hours(24 * 30);
  EXPECT_EQ(NextReviewTime(r), kStart + absl::Hours(24 * 40));
}

TEST(ReviewOverdue, FlipsStrictlyAfterNextReviewTime) {
  Requirement r = Tracked();
  r.review_interval = absl::Hours(24);
  const absl::Time due = kStart + absl::Hours(24);
  EXPECT_FALSE(IsReviewOverdue(r, due - absl::Microseconds(1)));
  EXPECT_FALSE(IsReviewOverdue(r, due));
  EXPECT_TRUE(IsReviewOverdue(r, due + absl::Microseconds(1)));
}

TEST(ReviewInterval, BoundsAreOneDayToThreeYears) {
  EXPECT_TRUE(ValidateReviewInterval("f", absl::Hours(24)).ok());
  EXPECT_TRUE(ValidateReviewInterval("f", absl::Hours(24 * 1095)).ok());
  EXPECT_EQ(ValidateReviewInterval("f", absl::Hours(24) - absl::Seconds(1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateReviewInterval("f", absl::Hours(24 * 1095) + absl::Seconds(1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateReviewInterval("f", -absl::Hours(24)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateReviewInterval("requirement.review_interval", absl::ZeroDuration()).message(),
            "requirement.review_interval: must be between 1 day and 3 years (1095 days)");
}

TEST(ValidateChanges, NamesTheOffendingField) {
  RequirementChanges owner;
  owner.owner = std::string(257, 'x');
  EXPECT_EQ(ValidateChanges(owner).message(), "requirement.owner: must be at most 256 characters");
  owner.owner = std::string(256, 'x');
  EXPECT_TRUE(ValidateChanges(owner).ok());

  RequirementChanges notes;
  notes.notes = std::string(4001, 'n');
  EXPECT_EQ(ValidateChanges(notes).message(), "requirement.notes: must be at most 4000 characters");
  notes.notes = "\xff\xfe";
  EXPECT_EQ(ValidateChanges(notes).message(), "requirement.notes: must be valid UTF-8");

  RequirementChanges interval;
  interval.review_interval = absl::Hours(1);
  EXPECT_EQ(ValidateChanges(interval).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(ValidateChanges(interval).message(), "requirement.review_interval"));
}

TEST(ValidateChanges, CountsCodePointsNotBytes) {
  RequirementChanges owner;
  std::string emoji;
  for (int i = 0; i < 256; ++i) emoji += "\xF0\x9F\x94\x92";  // U+1F512, 4 bytes each
  owner.owner = emoji;
  EXPECT_TRUE(ValidateChanges(owner).ok());
}

TEST(ValidateReview, RejectsUnspecifiedFutureAndBackdatedReviews) {
  const absl::Time now = kStart + absl::Hours(24 * 100);
  Requirement r = Tracked();
  Review review{Conformity::kConforming, "ok", now, "alice"};
  EXPECT_TRUE(ValidateReview(review, r, now).ok());

  review.conformity = Conformity::kUnspecified;
  EXPECT_TRUE(absl::StartsWith(ValidateReview(review, r, now).message(), "conformity:"));
  review.conformity = Conformity::kConforming;

  review.review_time = now + absl::Seconds(5);  // within the tolerated skew
  EXPECT_TRUE(ValidateReview(review, r, now).ok());
  review.review_time = now + absl::Seconds(6);
  EXPECT_EQ(ValidateReview(review, r, now).message(), "review_time: must not be in the future");

  r.last_review_time = now - absl::Hours(1);
  review.review_time = now - absl::Hours(2);
  EXPECT_TRUE(absl::StartsWith(ValidateReview(review, r, now).message(),
                               "review_time: must not be before the previous review"));
  review.review_time = now - absl::Hours(1);  // the same instant is allowed
  EXPECT_TRUE(ValidateReview(review, r, now).ok());
}

TEST(ApplyReview, MovesConformityAndReviewTimes) {
  Requirement r = Tracked();
  r.notes = "before";
  const absl::Time at = kStart + absl::Hours(24 * 7);
  ApplyReview(Review{Conformity::kPartiallyConforming, "", at, "bob"}, r);
  EXPECT_EQ(r.conformity, Conformity::kPartiallyConforming);
  EXPECT_EQ(r.last_reviewer, "bob");
  EXPECT_EQ(NextReviewTime(r), at + kDefaultReviewInterval);
  EXPECT_EQ(r.notes, "before");  // a review without notes keeps them
  ApplyReview(Review{Conformity::kConforming, "fixed", at, "bob"}, r);
  EXPECT_EQ(r.notes, "fixed");
}

}  // namespace
}  // namespace compliance
