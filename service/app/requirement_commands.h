#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/mutation.h"
#include "domain/audit.h"
#include "domain/requirement.h"

namespace compliance {

/// A review to record: `review.review_time` is "now" unless `time_given`.
struct ReviewCommand {
  Review review;
  bool time_given = false;
  std::string etag;
};

/// The mutations of requirements, each one run through the mutation pipeline.
class RequirementCommands {
 public:
  explicit RequirementCommands(ConnectionPool& pool) : pool_(pool) {}

  /// Applies validated changes once the etags (the request's, or else the one inside the
  /// resource) match the stored version. Counts in the answer are evaluated at `now`.
  absl::StatusOr<Requirement> Update(const MutationContext& context, const RequirementKey& key,
                                     const RequirementChanges& changes,
                                     const std::string& request_etag,
                                     const std::string& resource_etag, absl::Time now,
                                     const AuditFn<Requirement>& audit) const;

  /// Records a management review: the requirement's conformity and last review, and an entry
  /// of its review history.
  absl::StatusOr<Requirement> Review(const MutationContext& context, const RequirementKey& key,
                                     const ReviewCommand& command, absl::Time now,
                                     const AuditFn<Requirement>& audit) const;

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
