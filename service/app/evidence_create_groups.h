#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/evidence_commands.h"
#include "app/group_commit.h"

namespace compliance {

/// Single creates (CreateEvidence, over gRPC or REST) that arrive together commit together:
/// concurrent ones of the same caller run as one EvidenceCommands::Create, several records
/// to a transaction (app/group_commit.h). Each caller gets the answer it would have had alone:
/// creates that could decide each other's outcome (the same request_id, the same source and
/// external_id, the same superseded record) never share a group, and when a group fails, each
/// of its creates runs again on its own.
class EvidenceCreateGroups {
 public:
  explicit EvidenceCreateGroups(const EvidenceCommands& commands, GroupCommitLimits limits = {});

  /// EvidenceCommands::Create of the one `request`, with the same answer.
  absl::StatusOr<CreatedEvidence> Create(const MutationContext& context, const NewEvidence& request,
                                         const std::vector<std::string>& sources,
                                         const AuditFn<Evidence>& audit);

  /// Creates waiting for a group to take them.
  size_t Queued() { return groups_.Queued(); }

 private:
  struct SingleCreate {
    const MutationContext* context;
    const NewEvidence* request;
    const std::vector<std::string>* sources;
    const AuditFn<Evidence>* audit;
  };

  absl::StatusOr<std::vector<CreatedEvidence>> RunGroup(
      const std::vector<const SingleCreate*>& creates) const;
  absl::StatusOr<CreatedEvidence> RunAlone(const SingleCreate& create) const;

  const EvidenceCommands& commands_;
  GroupCommit<SingleCreate, CreatedEvidence> groups_;
};

}  // namespace compliance
