#include "app/token_commands.h"

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/sha256.h"
#include "store/random_id.h"
#include "store/token_store.h"

namespace compliance {
namespace {

// A token's audit document. Tokens are no API resource: this is their only JSON form.
std::string TokenJson(const TokenGrant& grant, bool revoked) {
  return nlohmann::json{{"name", "tokens/" + grant.name},
                        {"role", RoleName(grant.role)},
                        {"sources", grant.sources},
                        {"revoked", revoked}}
      .dump();
}

AuditEntry TokenEntry(const MutationContext& context, const TokenGrant& grant,
                      std::string before_json, std::string after_json) {
  return {context.actor,          context.method,       "tokens/" + grant.name, "",
          std::move(before_json), std::move(after_json)};
}

}  // namespace

absl::StatusOr<std::string> TokenCommands::Create(const MutationContext& context,
                                                  const TokenGrant& grant) const {
  if (auto checked = CheckTokenGrant(grant); !checked.ok()) return checked;
  const auto id_bytes = RandomBytes(6);
  const auto secret_bytes = RandomBytes(32);
  if (!id_bytes || !secret_bytes) {
    return absl::InternalError("the system's random number generator failed; no token made");
  }
  const std::string id = absl::BytesToHexString(*id_bytes);
  const std::string secret = absl::WebSafeBase64Escape(*secret_bytes);
  SingleMutation<std::string> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<std::string> {
    if (TokenNameTaken(unit, grant.name)) {
      return absl::AlreadyExistsError(absl::StrCat("a token named \"", grant.name, "\" exists"));
    }
    InsertToken(unit, grant, id, Sha256Hex(secret));
    journal.audit.push_back(TokenEntry(context, grant, "", TokenJson(grant, false)));
    return absl::StrCat("cst_", id, "_", secret);
  };
  return RunMutation(pool_, context, mutation);
}

absl::Status TokenCommands::Revoke(const MutationContext& context, const std::string& name) const {
  SingleMutation<bool> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<bool> {
    const auto revoked = WriteTokenRevocation(unit, name);
    if (!revoked) {
      if (!TokenNameTaken(unit, name)) {
        return absl::NotFoundError(absl::StrCat("no token is named \"", name, "\""));
      }
      return absl::FailedPreconditionError(absl::StrCat("token \"", name, "\" is already revoked"));
    }
    journal.audit.push_back(
        TokenEntry(context, *revoked, TokenJson(*revoked, false), TokenJson(*revoked, true)));
    return true;
  };
  return RunMutation(pool_, context, mutation).status();
}

}  // namespace compliance
