#include "app/evidence_create_groups.h"

#include <algorithm>
#include <utility>

namespace compliance {
namespace {

// What a create may claim that another create of its group must not claim too.
bool Overlap(const NewEvidence& a, const NewEvidence& b) {
  if (!a.request_id.empty() && a.request_id == b.request_id) return true;
  if (!a.content.external_id.empty() && a.content.external_id == b.content.external_id &&
      a.content.source == b.content.source) {
    return true;
  }
  return a.supersedes && a.supersedes == b.supersedes;
}

}  // namespace

EvidenceCreateGroups::EvidenceCreateGroups(const EvidenceCommands& commands,
                                           GroupCommitLimits limits)
    : commands_(commands),
      groups_(
          limits,
          [this](const std::vector<const SingleCreate*>& creates) { return RunGroup(creates); },
          [this](const SingleCreate& create) { return RunAlone(create); },
          // One caller's creates, under one token's limits, claiming nothing of each other's.
          [](const SingleCreate& candidate, const std::vector<const SingleCreate*>& group) {
            const SingleCreate& leader = *group.front();
            if (candidate.context->actor != leader.context->actor ||
                candidate.context->method != leader.context->method ||
                *candidate.sources != *leader.sources) {
              return false;
            }
            return std::none_of(group.begin(), group.end(), [&](const SingleCreate* member) {
              return Overlap(*candidate.request, *member->request);
            });
          }) {}

absl::StatusOr<CreatedEvidence> EvidenceCreateGroups::Create(
    const MutationContext& context, const NewEvidence& request,
    const std::vector<std::string>& sources, const AuditFn<Evidence>& audit) {
  return groups_.Run({&context, &request, &sources, &audit}, context.deadline);
}

absl::StatusOr<std::vector<CreatedEvidence>> EvidenceCreateGroups::RunGroup(
    const std::vector<const SingleCreate*>& creates) const {
  // The group's actor and method are every member's; it runs until the first deadline.
  MutationContext context = *creates.front()->context;
  std::vector<NewEvidence> requests;
  std::vector<AuditFn<Evidence>> audits;
  requests.reserve(creates.size());
  audits.reserve(creates.size());
  for (const SingleCreate* create : creates) {
    context.deadline = std::min(context.deadline, create->context->deadline);
    requests.push_back(*create->request);
    audits.push_back(*create->audit);
  }
  return commands_.Create(context, requests, /*batch=*/false, *creates.front()->sources, audits);
}

absl::StatusOr<CreatedEvidence> EvidenceCreateGroups::RunAlone(const SingleCreate& create) const {
  auto created = commands_.Create(*create.context, {*create.request}, /*batch=*/false,
                                  *create.sources, {*create.audit});
  if (!created.ok()) return created.status();
  return std::move(created->front());
}

}  // namespace compliance
