#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/mutation.h"
#include "domain/token.h"

namespace compliance {

/// The mutations of API tokens (run by `compliance-server token`), each one run through the
/// mutation pipeline; `context.method` is "token create" or "token revoke", which name them
/// in the audit log.
class TokenCommands {
 public:
  explicit TokenCommands(ConnectionPool& pool) : pool_(pool) {}

  /// Makes a token for a checked grant and returns it (`cst_<id>_<secret>`); it is shown
  /// once and cannot be recovered. ALREADY_EXISTS when the name is taken.
  absl::StatusOr<std::string> Create(const MutationContext& context, const TokenGrant& grant) const;

  /// Revokes the token `name`: NOT_FOUND when unknown, FAILED_PRECONDITION when already
  /// revoked.
  absl::Status Revoke(const MutationContext& context, const std::string& name) const;

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
