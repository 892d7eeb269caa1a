#include "api/requirement_mapping.h"

#include "api/proto_time.h"

namespace compliance {

void ToProto(const Requirement& requirement, absl::Time now, v1::Requirement* out) {
  out->set_name(requirement.key.Name());
  out->set_framework(requirement.key.framework);
  out->set_clause(requirement.clause);
  out->set_reference(requirement.reference);
  out->set_title(requirement.title);
  out->set_description(requirement.description);
  for (const auto& guidance : requirement.evidence_guidance) out->add_evidence_guidance(guidance);
  out->set_conformity(static_cast<v1::Conformity>(requirement.conformity));
  out->set_owner(requirement.owner);
  ToProto(requirement.review_interval, out->mutable_review_interval());
  if (requirement.last_review_time) {
    ToProto(*requirement.last_review_time, out->mutable_last_review_time());
  }
  out->set_last_reviewer(requirement.last_reviewer);
  ToProto(NextReviewTime(requirement), out->mutable_next_review_time());
  out->set_review_overdue(IsReviewOverdue(requirement, now));
  out->set_notes(requirement.notes);
  out->set_valid_evidence_count(requirement.valid_evidence_count);
  out->set_open_action_count(requirement.open_action_count);
  out->set_overdue_action_count(requirement.overdue_action_count);
  ToProto(requirement.update_time, out->mutable_update_time());
  out->set_etag(RequirementEtag(requirement));
}

}  // namespace compliance
