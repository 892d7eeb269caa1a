#include "server/token_admin.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "absl/strings/str_join.h"
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

bool IsName(const std::string& text) {
  static const std::regex kName("[a-z0-9][a-z0-9._-]{0,62}");
  return std::regex_match(text, kName);
}

// Runs `body` against a migrated database; reports failures on stderr.
template <typename Body>
int WithStore(const Config& config, Body body) {
  if (auto applied = ApplyMigrations(config.database_url, EmbeddedMigrations()); !applied.ok()) {
    spdlog::critical("cannot migrate the database: {}", std::string(applied.status().message()));
    return 1;
  }
  ConnectionPool pool(config.database_url, 1, absl::Seconds(10), &PrepareStatements);
  TokenStore store(pool);
  const absl::Status status = body(store, absl::Now() + absl::Seconds(30));
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int CreateToken(const Config& config, const std::string& name, const std::string& role_name,
                const std::vector<std::string>& sources) {
  Role role;
  if (!IsName(name)) {
    std::fprintf(stderr, "error: --name must match [a-z0-9][a-z0-9._-]{0,62}\n");
    return 2;
  }
  if (!ParseRole(role_name, &role)) {
    std::fprintf(stderr, "error: --role must be viewer, integrator, editor or admin\n");
    return 2;
  }
  for (const auto& source : sources) {
    if (!IsName(source)) {
      std::fprintf(stderr, "error: --source \"%s\" must match [a-z0-9][a-z0-9._-]{0,62}\n",
                   source.c_str());
      return 2;
    }
  }
  if (!sources.empty() && role != Role::kIntegrator) {
    std::fprintf(stderr, "error: --source limits integrator tokens only\n");
    return 2;
  }
  return WithStore(config, [&](TokenStore& store, absl::Time deadline) {
    auto token = store.Create(name, role, sources, LocalActor(), deadline);
    if (!token.ok()) return token.status();
    std::printf("%s\n", token->c_str());
    return absl::OkStatus();
  });
}

int ListTokens(const Config& config) {
  return WithStore(config, [&](TokenStore& store, absl::Time deadline) {
    auto tokens = store.List(deadline);
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
  return WithStore(config, [&](TokenStore& store, absl::Time deadline) {
    return store.Revoke(name, LocalActor(), deadline);
  });
}

}  // namespace compliance
