#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "domain/token.h"
#include "store/connection_pool.h"
#include "store/unit_of_work.h"

namespace compliance {

/// A token as `token list` shows it: never the secret, never its hash.
struct TokenInfo {
  std::string name;
  Role role = Role::kViewer;
  std::vector<std::string> sources;
  absl::Time create_time;
  std::optional<absl::Time> revoke_time;
};

/// API tokens in PostgreSQL, as the server reads them. A token reads `cst_<id>_<secret>`: the
/// id finds the row, the secret is only ever stored as a SHA-256 and compared in constant
/// time. Tokens change through app/token_commands.h and the repository functions below.
class TokenStore {
 public:
  explicit TokenStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Every token, revoked ones included.
  absl::StatusOr<std::vector<TokenInfo>> List(absl::Time deadline);

  /// The caller a presented token stands for; UNAUTHENTICATED when unknown, malformed or
  /// revoked.
  absl::StatusOr<Caller> Lookup(const std::string& token, absl::Time deadline);

 private:
  ConnectionPool& pool_;
};

/// Whether a token (revoked or not) has this name.
bool TokenNameTaken(UnitOfWork& unit, const std::string& name);

/// Stores a new token: its grant, the id that finds it, the SHA-256 of its secret.
void InsertToken(UnitOfWork& unit, const TokenGrant& grant, const std::string& token_id,
                 const std::string& secret_hash);

/// Revokes the token `name` if it is active, and returns what it granted; nullopt when
/// there is no active token of that name.
std::optional<TokenGrant> WriteTokenRevocation(UnitOfWork& unit, const std::string& name);

}  // namespace compliance
