#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/names.h"

namespace compliance {

/// Outcome of a review; numbered as compliance.v1.Conformity.
enum class Conformity : int {
  kUnspecified = 0,
  kNotAssessed = 1,
  kNonconforming = 2,
  kPartiallyConforming = 3,
  kConforming = 4,
};

/// Default and bounds of a requirement's review interval.
inline constexpr absl::Duration kDefaultReviewInterval = absl::Hours(24 * 365);
inline constexpr absl::Duration kMinReviewInterval = absl::Hours(24);
inline constexpr absl::Duration kMaxReviewInterval = absl::Hours(24 * 365 * 3);

/// Upper bounds of the writable text fields, in code points.
inline constexpr size_t kMaxOwnerLength = 256;
inline constexpr size_t kMaxNotesLength = 4000;

/// A requirement as stored, with its live counts evaluated at read time.
struct Requirement {
  RequirementKey key;
  std::string clause;
  std::string reference;
  std::string title;
  std::string description;
  std::vector<std::string> evidence_guidance;
  Conformity conformity = Conformity::kNotAssessed;
  std::string owner;
  absl::Duration review_interval = kDefaultReviewInterval;
  std::optional<absl::Time> last_review_time;
  std::string last_reviewer;
  std::string notes;
  absl::Time tracking_start_time;
  absl::Time update_time;
  int64_t version = 0;
  int32_t valid_evidence_count = 0;
  int32_t open_action_count = 0;
  int32_t overdue_action_count = 0;
};

/// When the next review is due: the last review, or the start of tracking, plus the interval.
absl::Time NextReviewTime(const Requirement& requirement);

/// True once the next review time has passed at `now`.
bool IsReviewOverdue(const Requirement& requirement, absl::Time now);

/// Opaque etag of a stored version.
std::string RequirementEtag(const Requirement& requirement);

/// The writable fields of an update; unset members stay as they are.
struct RequirementChanges {
  std::optional<std::string> owner;
  std::optional<absl::Duration> review_interval;
  std::optional<std::string> notes;
};

/// Checks a review interval; the error names `field`.
absl::Status ValidateReviewInterval(absl::string_view field, absl::Duration interval);

/// Checks every set member of `changes`; errors name `requirement.<field>`.
absl::Status ValidateChanges(const RequirementChanges& changes);

/// A review to record.
struct Review {
  Conformity conformity = Conformity::kUnspecified;
  std::string notes;
  absl::Time review_time;
  std::string reviewer;
};

/// Checks a review against the requirement's history at `now`.
absl::Status ValidateReview(const Review& review, const Requirement& current, absl::Time now);

/// Applies a validated update.
void ApplyChanges(const RequirementChanges& changes, Requirement& requirement);

/// Applies a validated review.
void ApplyReview(const Review& review, Requirement& requirement);

}  // namespace compliance
