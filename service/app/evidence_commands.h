#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "app/mutation.h"
#include "domain/audit.h"
#include "domain/evidence.h"
#include "store/evidence_store.h"

namespace compliance {

/// The outcome of one create.
struct CreatedEvidence {
  Evidence evidence;
  bool deduplicated = false;
};

/// The mutations of evidence, each one run through the mutation pipeline.
class EvidenceCommands {
 public:
  EvidenceCommands(ConnectionPool& pool, EvidenceStore& store) : pool_(pool), store_(store) {}

  /// Creates records in one transaction, in request order: request_id retries and re-sent
  /// (source, external_id) content are deduplicated, changed content supersedes. Any failure
  /// writes nothing. `batch` only shapes the field paths in errors. Non-empty `sources` limits
  /// which records an explicit `supersedes` may retire (PERMISSION_DENIED otherwise).
  /// `audits` renders the audit entries: one for every request, or one for all of them.
  absl::StatusOr<std::vector<CreatedEvidence>> Create(
      const MutationContext& context, const std::vector<NewEvidence>& requests, bool batch,
      const std::vector<std::string>& sources, absl::Span<const AuditFn<Evidence>> audits) const;

  /// Withdraws an ACTIVE record once `etag` (may be empty) matches the stored version.
  absl::StatusOr<Evidence> Withdraw(const MutationContext& context, const std::string& id,
                                    const std::string& reason, const std::string& etag,
                                    const AuditFn<Evidence>& audit) const;

 private:
  ConnectionPool& pool_;
  EvidenceStore& store_;
};

}  // namespace compliance
