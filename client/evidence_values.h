#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace compliance::cli {

/// `training-record`, `training_record`, `Training-Record` or `EVIDENCE_KIND_TRAINING_RECORD`
/// → the compliance.v1.EvidenceKind number; UNSPECIFIED and unknown words are errors.
absl::StatusOr<int> ParseEvidenceKind(absl::string_view text);

/// The word for an EvidenceKind number, e.g. `training-record`.
std::string EvidenceKindWord(int kind);

/// All kind words, comma-separated, for help and error texts.
std::string EvidenceKindWords();

/// `active`, `superseded`, `withdrawn` (any case, or the full enum name) → EvidenceState.
absl::StatusOr<int> ParseEvidenceState(absl::string_view text);

/// The word for an EvidenceState number, e.g. `superseded`.
std::string EvidenceStateWord(int state);

/// "active, superseded or withdrawn", for help and error texts.
std::string EvidenceStateWords();

/// A bare UUID → `evidence/{uuid}`; names with a `/` pass unchanged.
std::string ExpandEvidenceName(absl::string_view name);

/// `evidence/{uuid}` → `{uuid}`; anything else unchanged.
std::string ShortEvidenceName(absl::string_view name);

/// `5.1.a` from `frameworks/iso27001-2022/requirements/5.1.a`; other frameworks stay whole.
std::string ShortRequirementName(absl::string_view name);

/// `key=value` → {key, value}; the key may not be empty.
absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(absl::string_view text);

/// Lowercase hex SHA-256 of a file's bytes, read in chunks.
absl::StatusOr<std::string> FileSha256(const std::string& path);

/// `file://` URI of a path made absolute, with bytes outside RFC 3986 path characters
/// percent-encoded (e.g. a space → %20).
std::string FileUri(const std::string& path);

}  // namespace compliance::cli
