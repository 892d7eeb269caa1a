#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "config.h"
#include "domain/signed_note.h"

namespace compliance {

/// `compliance-server audit-key create --name NAME`: writes a new key to `path` (mode 0600,
/// never over an existing file) and prints its verifier key on stdout. Returns the exit code.
int CreateAuditKey(const std::string& path, const std::string& name);

/// `compliance-server audit-key public`: prints the verifier key of the key at `path`.
int PrintAuditVerifierKey(const std::string& path);

/// The key that signs checkpoints, as configured: read from --audit-signing-key; none with
/// --allow-unsigned-audit (after a warning); an error saying what to do otherwise.
absl::StatusOr<std::optional<NoteSigner>> LoadAuditSigner(const Config& config);

}  // namespace compliance
