#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/names.h"

namespace compliance {

/// Highest compliance.v1.EvidenceKind value, as the contract's descriptors have it
/// (api/enum_bounds.cpp), so that a new kind is one edit of the proto.
extern const int kMaxEvidenceKind;

/// Where a record stands; numbered as compliance.v1.EvidenceState.
enum class EvidenceState : int { kUnspecified = 0, kActive = 1, kSuperseded = 2, kWithdrawn = 3 };

/// Limits of the API contract.
inline constexpr size_t kMaxEvidenceRequirements = 32;
inline constexpr size_t kMaxEvidenceTitle = 200;
inline constexpr size_t kMaxEvidenceDescription = 4000;
inline constexpr size_t kMaxEvidenceUri = 2048;
inline constexpr size_t kMaxExternalId = 256;
inline constexpr size_t kMaxLabels = 16;
inline constexpr size_t kMaxLabelValue = 256;
inline constexpr size_t kMaxRequestId = 128;
inline constexpr size_t kMaxReason = 4000;
inline constexpr size_t kMaxBatch = 1000;
inline constexpr char kDefaultSource[] = "manual";

/// The client-supplied content of a record: what is hashed to recognise a re-send.
struct EvidenceContent {
  std::vector<RequirementKey> requirements;
  int kind = 0;
  std::string title;
  std::string description;
  std::string uri;
  std::string sha256;
  std::string source = kDefaultSource;
  std::string external_id;
  absl::Time collect_time;
  std::optional<absl::Time> expire_time;
  std::map<std::string, std::string> labels;
};

/// A create request after validation.
struct NewEvidence {
  EvidenceContent content;
  std::optional<std::string> supersedes;  ///< explicit target id (UUID)
  std::string request_id;                 ///< empty when the client gave none
};

/// A stored record.
struct Evidence {
  std::string id;
  EvidenceContent content;
  EvidenceState state = EvidenceState::kActive;
  std::string supersedes;     ///< id or empty
  std::string superseded_by;  ///< id or empty
  std::string withdraw_reason;
  std::string submitter;
  absl::Time create_time;
  int64_t version = 1;
};

/// `evidence/{id}`.
std::string EvidenceName(const std::string& id);

/// True once the record's expiry has passed at `now` (from exactly `expire_time` on).
bool IsExpired(const Evidence& evidence, absl::Time now);

/// Opaque etag of a stored version.
std::string EvidenceEtag(const Evidence& evidence);

/// FAILED_PRECONDITION unless the record is ACTIVE, the only state that can be withdrawn.
absl::Status RequireWithdrawable(const Evidence& evidence);

/// The record once withdrawn with `reason`, as it is then stored.
Evidence Withdrawn(const Evidence& evidence, const std::string& reason);

/// Validates content fields; errors name `<prefix>.<field>` (e.g. `evidence.title`).
absl::Status ValidateContent(const std::string& prefix, const EvidenceContent& content,
                             absl::Time now);

/// Validates a request id; the error names `field`.
absl::Status ValidateRequestId(const std::string& field, const std::string& request_id);

/// An unambiguous encoding of the content (requirements as a set, labels sorted), so that
/// the same record sent twice encodes the same.
std::string CanonicalEvidenceContent(const EvidenceContent& content);

/// Hex SHA-256 of CanonicalEvidenceContent: what tells a re-sent record from a changed one.
std::string ContentHash(const EvidenceContent& content);

}  // namespace compliance
