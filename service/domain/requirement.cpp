#include "domain/requirement.h"

#include "absl/strings/str_cat.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/text.h"

namespace compliance {

absl::Time NextReviewTime(const Requirement& requirement) {
  return requirement.last_review_time.value_or(requirement.tracking_start_time) +
         requirement.review_interval;
}

bool IsReviewOverdue(const Requirement& requirement, absl::Time now) {
  return NextReviewTime(requirement) < now;
}

std::string RequirementEtag(const Requirement& requirement) {
  return absl::StrCat("r", requirement.version);
}

absl::Status ValidateReviewInterval(absl::string_view field, absl::Duration interval) {
  if (interval < kMinReviewInterval || interval > kMaxReviewInterval) {
    return FieldError(field, "must be between 1 day and 3 years (1095 days)");
  }
  return absl::OkStatus();
}

absl::Status ValidateChanges(const RequirementChanges& changes) {
  if (changes.owner) {
    if (auto status = CheckText("requirement.owner", *changes.owner, 0, kMaxOwnerLength);
        !status.ok()) {
      return status;
    }
  }
  if (changes.review_interval) {
    if (auto status =
            ValidateReviewInterval("requirement.review_interval", *changes.review_interval);
        !status.ok()) {
      return status;
    }
  }
  if (changes.notes) {
    return CheckText("requirement.notes", *changes.notes, 0, kMaxNotesLength);
  }
  return absl::OkStatus();
}

absl::Status ValidateReview(const Review& review, const Requirement& current, absl::Time now) {
  if (review.conformity == Conformity::kUnspecified) {
    return FieldError("conformity", "is required (not CONFORMITY_UNSPECIFIED)");
  }
  if (review.conformity < Conformity::kNotAssessed || review.conformity > Conformity::kConforming) {
    return FieldError("conformity", "is not a known Conformity value");
  }
  if (auto status = CheckText("notes", review.notes, 0, kMaxNotesLength); !status.ok()) {
    return status;
  }
  if (review.review_time > now + kClockSkew) {
    return FieldError("review_time", "must not be in the future");
  }
  if (current.last_review_time && review.review_time < *current.last_review_time) {
    return FieldError("review_time",
                      absl::StrCat("must not be before the previous review (",
                                   absl::FormatTime(absl::RFC3339_full, *current.last_review_time,
                                                    absl::UTCTimeZone()),
                                   ")"));
  }
  return absl::OkStatus();
}

void ApplyChanges(const RequirementChanges& changes, Requirement& requirement) {
  if (changes.owner) requirement.owner = *changes.owner;
  if (changes.review_interval) requirement.review_interval = *changes.review_interval;
  if (changes.notes) requirement.notes = *changes.notes;
}

void ApplyReview(const Review& review, Requirement& requirement) {
  requirement.conformity = review.conformity;
  requirement.last_review_time = review.review_time;
  requirement.last_reviewer = review.reviewer;
  if (!review.notes.empty()) requirement.notes = review.notes;
}

}  // namespace compliance
