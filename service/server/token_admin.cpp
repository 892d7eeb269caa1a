#include "server/token_admin.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_join.h"
#include "app/token_commands.h"
#include "domain/errors.h"
#include "store/connection_pool.h"
#include "store/migrations.h"
#include "store/statements.h"
#include "store/token_store.h"

namespace compliance {
namespace {

// Token administration happens on the server's host; the audit log names who ran it.
std::string LocalActor() {
  const char* user = std::getenv("USER");
  return std::string("local:") + (user != nullptr && *user != '\0' ? user : "admin");
}

// Runs `body` against a migrated database; reports failures on stderr.
template <typename Body>
int WithStore(const Config& config, Body body) {
  if (auto applied = ApplyMigrations(config.database_url, EmbeddedMigrations()); !applied.ok()) {
    spdlog::critical("cannot migrate the database: {}", std::string(applied.status().message()));
    return 1;
  }
  ConnectionPool pool(config.database_url, 1, absl::Seconds(10), &PrepareStatements);
  const absl::Status status = body(pool, absl::Now() + absl::Seconds(30));
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int CreateToken(const Config& config, const std::string& name, const std::string& role_name,
                const std::vector<std::string>& sources) {
  TokenGrant grant{name, Role::kViewer, sources};
  if (!ParseRole(role_name, &grant.role)) {
    std::fprintf(stderr, "error: --role must be viewer, integrator, editor or admin\n");
    return 2;
  }
  if (auto checked = CheckTokenGrant(grant); !checked.ok()) {
    // The grant's fields are this command's flags: --name, --source.
    const auto problem = SplitFieldError(checked.message());
    const std::string flag = problem && problem->field == "name" ? "--name" : "--source";
    std::fprintf(stderr, "error: %s: %s\n", flag.c_str(),
                 problem ? problem->problem.c_str() : std::string(checked.message()).c_str());
    return 2;
  }
  return WithStore(config, [&](ConnectionPool& pool, absl::Time deadline) {
    auto token = TokenCommands(pool).Create({"token create", LocalActor(), deadline}, grant);
    if (!token.ok()) return token.status();
    std::printf("%s\n", token->c_str());
    return absl::OkStatus();
  });
}

int ListTokens(const Config& config) {
  return WithStore(config, [&](ConnectionPool& pool, absl::Time deadline) {
    auto tokens = TokenStore(pool).List(deadline);
    if (!tokens.ok()) return tokens.status();
    std::printf("%-24s %-11s %-24s %s\n", "NAME", "ROLE", "SOURCES", "STATE");
    for (const auto& t : *tokens) {
      std::printf("%-24s %-11s %-24s %s\n", t.name.c_str(), RoleName(t.role),
                  t.sources.empty() ? "-" : absl::StrJoin(t.sources, ",").c_str(),
                  t.revoke_time ? "revoked" : "active");
    }
    return absl::OkStatus();
  });
}

int RevokeToken(const Config& config, const std::string& name) {
  return WithStore(config, [&](ConnectionPool& pool, absl::Time deadline) {
    return TokenCommands(pool).Revoke({"token revoke", LocalActor(), deadline}, name);
  });
}

}  // namespace compliance
