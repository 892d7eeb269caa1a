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

/// An integrator limited to `sources` (empty: any) may retire by explicit supersedes only
/// records of those sources: PERMISSION_DENIED naming the item otherwise.
absl::Status CheckRetirableSources(const std::vector<NewEvidence>& requests,
                                   const std::vector<size_t>& positions, bool batch,
                                   const std::map<std::string, StoredRecord>& targets,
                                   const std::vector<std::string>& sources);

/// The record a create inserts, as a read will return it: the content as sent, ACTIVE,
/// stamped with `create_time` (the transaction's start, the column's default).
Evidence InsertedRecord(const NewEvidence& request, const std::string& id,
                        const std::optional<std::string>& supersedes, const std::string& submitter,
                        absl::Time create_time);

}  // namespace compliance
