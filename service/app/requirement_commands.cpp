#include "app/requirement_commands.h"

#include "domain/etag.h"
#include "store/requirement_store.h"

namespace compliance {

absl::StatusOr<Requirement> RequirementCommands::Update(
    const MutationContext& context, const RequirementKey& key, const RequirementChanges& changes,
    const std::string& request_etag, const std::string& resource_etag, absl::Time now,
    const AuditFn<Requirement>& audit) const {
  SingleMutation<Requirement> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Requirement> {
    auto current = LockRequirement(unit, key, now);
    if (!current.ok()) return current.status();
    if (auto s = CheckEtag(request_etag, resource_etag, RequirementEtag(*current)); !s.ok()) {
      return s;
    }
    Requirement changed = *current;
    ApplyChanges(changes, changed);
    Requirement stored = WriteRequirement(unit, changed);
    journal.audit.push_back(audit(&*current, stored));
    return stored;
  };
  return RunMutation(pool_, context, mutation);
}

absl::StatusOr<Requirement> RequirementCommands::Review(const MutationContext& context,
                                                        const RequirementKey& key,
                                                        const ReviewCommand& command,
                                                        absl::Time now,
                                                        const AuditFn<Requirement>& audit) const {
  SingleMutation<Requirement> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Requirement> {
    auto current = LockRequirement(unit, key, now);
    if (!current.ok()) return current.status();
    if (auto s = CheckEtag(command.etag, "", RequirementEtag(*current)); !s.ok()) return s;
    compliance::Review review = command.review;
    // "Now" on this server may trail a review recorded a moment ago by another replica with a
    // slightly faster clock; a review without a time is never "before" it.
    if (!command.time_given && current->last_review_time &&
        *current->last_review_time > review.review_time) {
      review.review_time = *current->last_review_time;
    }
    if (auto s = ValidateReview(review, *current, now); !s.ok()) return s;
    Requirement changed = *current;
    ApplyReview(review, changed);
    Requirement stored = WriteRequirement(unit, changed);
    InsertReview(unit, key, review);
    journal.audit.push_back(audit(&*current, stored));
    return stored;
  };
  return RunMutation(pool_, context, mutation);
}

}  // namespace compliance
