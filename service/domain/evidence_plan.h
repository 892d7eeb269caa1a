#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/evidence.h"

namespace compliance {

/// What the database already holds that a create may collide with.
struct StoredRecord {
  std::string id;
  std::string source;
  std::string external_id;
  std::string content_hash;
  EvidenceState state = EvidenceState::kActive;
};

/// The decision for one create.
struct CreateDecision {
  /// Set when nothing is written: the request repeats this stored record.
  std::optional<std::string> existing_id;
  /// For a new record: the ACTIVE record it supersedes, if any.
  std::optional<std::string> supersedes;
};

/// Field path of item `index`: "" alone, "requests[i]." in a batch.
std::string ItemPath(bool batch, size_t index);

/// Decides each create in order; `positions[i]` is request i's index in the client's batch,
/// for field paths in errors. `active` holds the ACTIVE records of the requests'
/// (source, external_id) keys; `targets` the records named by explicit `supersedes`.
/// Same key with the same content: deduplicated. Same key, other content: a new record
/// superseding it. An explicit target that is missing is NOT_FOUND, one that is not ACTIVE
/// FAILED_PRECONDITION. Two creates of one batch may not share a key or a request_id.
absl::StatusOr<std::vector<CreateDecision>> PlanCreates(
    const std::vector<NewEvidence>& requests, const std::vector<size_t>& positions, bool batch,
    const std::vector<StoredRecord>& active, const std::map<std::string, StoredRecord>& targets);

}  // namespace compliance
