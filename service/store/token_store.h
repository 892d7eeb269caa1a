#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "store/connection_pool.h"

namespace compliance {

/// A token as `token list` shows it: never the secret, never its hash.
struct TokenInfo {
  std::string name;
  Role role = Role::kViewer;
  std::vector<std::string> sources;
  absl::Time create_time;
  std::optional<absl::Time> revoke_time;
};

/// API tokens in PostgreSQL. A token reads `cst_<id>_<secret>`: the id finds the row, the
/// secret is only ever stored as a SHA-256 and compared in constant time.
class TokenStore {
 public:
  explicit TokenStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Creates a token and returns it; it is shown once and cannot be recovered. ALREADY_EXISTS
  /// when the name is taken. Appends an audit event on `tokens/{name}` by `actor`.
  absl::StatusOr<std::string> Create(const std::string& name, Role role,
                                     const std::vector<std::string>& sources,
                                     const std::string& actor, absl::Time deadline);

  /// Every token, revoked ones included.
  absl::StatusOr<std::vector<TokenInfo>> List(absl::Time deadline);

  /// Revokes a token: NOT_FOUND when unknown, FAILED_PRECONDITION when already revoked.
  absl::Status Revoke(const std::string& name, const std::string& actor, absl::Time deadline);

  /// The caller a presented token stands for; UNAUTHENTICATED when unknown, malformed or
  /// revoked.
  absl::StatusOr<Caller> Lookup(const std::string& token, absl::Time deadline);

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
