#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/access.h"

namespace compliance {

/// What an API token grants: its name (the actor of what it does), its role, and for an
/// integrator the sources it may write (none: any).
struct TokenGrant {
  std::string name;
  Role role = Role::kViewer;
  std::vector<std::string> sources;
};

/// Whether `text` may name a token or a source: [a-z0-9][a-z0-9._-]{0,62}.
bool IsTokenName(const std::string& text);

/// OK for a grant that can be made; otherwise INVALID_ARGUMENT naming the field ("name",
/// "sources"): a malformed name or source, or sources on a role other than integrator.
absl::Status CheckTokenGrant(const TokenGrant& grant);

}  // namespace compliance
