#include "store/token_store.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "domain/sha256.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

using nlohmann::json;

constexpr char kInsert[] = "token_insert";
constexpr char kInsertSql[] =
    "INSERT INTO tokens (name, token_id, secret_hash, role, sources) "
    "SELECT $1, $2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)) "
    "RETURNING ts_to_us(create_time)";
constexpr char kList[] = "token_list";
constexpr char kListSql[] =
    "SELECT name, role, array_to_json(sources)::text, ts_to_us(create_time),"
    "  ts_to_us(revoke_time) FROM tokens ORDER BY name";
constexpr char kRevoke[] = "token_revoke";
constexpr char kRevokeSql[] =
    "UPDATE tokens SET revoke_time = now() WHERE name = $1 AND revoke_time IS NULL "
    "RETURNING role, array_to_json(sources)::text";
constexpr char kExists[] = "token_exists";
constexpr char kExistsSql[] = "SELECT 1 FROM tokens WHERE name = $1";
constexpr char kLookup[] = "token_lookup";
constexpr char kLookupSql[] =
    "SELECT name, secret_hash, role, array_to_json(sources)::text FROM tokens "
    "WHERE token_id = $1 AND revoke_time IS NULL";

absl::Status InvalidToken() {
  return absl::UnauthenticatedError("the token is not valid (unknown, malformed or revoked)");
}

}  // namespace

void TokenStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {kInsert, kInsertSql}, {kList, kListSql},     {kRevoke, kRevokeSql},
      {kExists, kExistsSql}, {kLookup, kLookupSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

absl::StatusOr<std::vector<TokenInfo>> TokenStore::List(absl::Time deadline) {
  return RunRead(
      pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<TokenInfo>> {
        std::vector<TokenInfo> tokens;
        for (const auto& row : work.exec_prepared(kList)) {
          TokenInfo info;
          info.name = row[0].as<std::string>();
          info.role = static_cast<Role>(row[1].as<int>());
          info.sources = json::parse(row[2].as<std::string>()).get<std::vector<std::string>>();
          info.create_time = absl::FromUnixMicros(row[3].as<int64_t>());
          if (!row[4].is_null()) info.revoke_time = absl::FromUnixMicros(row[4].as<int64_t>());
          tokens.push_back(std::move(info));
        }
        return tokens;
      });
}

absl::StatusOr<Caller> TokenStore::Lookup(const std::string& token, absl::Time deadline) {
  const std::vector<std::string> parts = absl::StrSplit(token, absl::MaxSplits('_', 2));
  if (parts.size() != 3 || parts[0] != "cst" || parts[1].size() != 12) return InvalidToken();
  const std::string presented_hash = Sha256Hex(parts[2]);
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<Caller> {
    const auto rows = work.exec_prepared(kLookup, parts[1]);
    if (rows.empty()) return InvalidToken();
    const std::string stored = rows[0][1].as<std::string>();
    if (stored.size() != presented_hash.size() ||
        CRYPTO_memcmp(stored.data(), presented_hash.data(), stored.size()) != 0) {
      return InvalidToken();
    }
    return Caller{rows[0][0].as<std::string>(), static_cast<Role>(rows[0][2].as<int>()),
                  json::parse(rows[0][3].as<std::string>()).get<std::vector<std::string>>()};
  });
}

bool TokenNameTaken(UnitOfWork& unit, const std::string& name) {
  return !unit.work().exec_prepared(kExists, name).empty();
}

void InsertToken(UnitOfWork& unit, const TokenGrant& grant, const std::string& token_id,
                 const std::string& secret_hash) {
  unit.work().exec_prepared(kInsert, grant.name, token_id, secret_hash,
                            static_cast<int>(grant.role), json(grant.sources).dump());
}

std::optional<TokenGrant> WriteTokenRevocation(UnitOfWork& unit, const std::string& name) {
  const auto revoked = unit.work().exec_prepared(kRevoke, name);
  if (revoked.empty()) return std::nullopt;
  return TokenGrant{name, static_cast<Role>(revoked[0][0].as<int>()),
                    json::parse(revoked[0][1].as<std::string>()).get<std::vector<std::string>>()};
}

}  // namespace compliance
