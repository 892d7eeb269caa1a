#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compliance/v1/requirement.pb.h"
#include "domain/page.h"
#include "domain/requirement.h"
#include "store/requirement_store.h"

namespace compliance {

/// A validated ListRequirements request.
struct ListRequirementsQuery {
  RequirementFilter filter;
  int page_size = kDefaultPageSize;
  int after_position = 0;  ///< catalog position of the previous page's last row
};

/// Validates filters, page size and token.
absl::StatusOr<ListRequirementsQuery> ParseListRequirements(
    const v1::ListRequirementsRequest& request);

/// The token that continues after catalog position `position`.
std::string NextRequirementsPageToken(const ListRequirementsQuery& query, int position);

/// A validated UpdateRequirement request.
struct RequirementUpdate {
  RequirementKey key;
  RequirementChanges changes;
  std::string request_etag;
  std::string resource_etag;
};

/// Validates the name, the mask and every field it selects.
absl::StatusOr<RequirementUpdate> ParseUpdateRequirement(
    const v1::UpdateRequirementRequest& request);

/// A validated ReviewRequirement request; `review.review_time` defaults to `now`.
struct RequirementReview {
  RequirementKey key;
  Review review;
  std::string etag;
  bool time_given = false;  ///< false: review_time is "now" and may move up to the last review
};

/// Validates the name, conformity, notes and review time (the history check needs the store).
absl::StatusOr<RequirementReview> ParseReviewRequirement(
    const v1::ReviewRequirementRequest& request, std::string reviewer, absl::Time now);

}  // namespace compliance
