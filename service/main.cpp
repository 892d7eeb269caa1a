// compliance-server: wires configuration to the subcommands; the work lives in the library.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "server/audit_key_admin.h"
#include "server/server.h"
#include "server/token_admin.h"
#include "store/connection_options.h"
#include "store/migrations.h"
#include "store/service_role.h"

namespace compliance {
namespace {

// A subcommand and what it does once parsed. Those that need the database run with a
// configured, defaulted DATABASE_URL.
struct Command {
  CLI::App* app;
  bool needs_database;
  std::function<int()> run;
};

int Migrate(const Config& config, const std::string& grant_to) {
  auto applied = ApplyMigrations(config.database_url, EmbeddedMigrations());
  if (!applied.ok()) {
    spdlog::critical("migration failed: {}", std::string(applied.status().message()));
    return 1;
  }
  spdlog::info("{} migration(s) applied; schema is current", *applied);
  if (grant_to.empty()) return 0;
  if (auto granted = GrantServiceRole(config.database_url, grant_to); !granted.ok()) {
    spdlog::critical("{}", std::string(granted.message()));
    return 1;
  }
  spdlog::info("role {} may serve: it reads and appends the audit log, and cannot rewrite it",
               grant_to);
  return 0;
}

void AddServeAndMigrate(CLI::App& app, Config& config, std::vector<Command>& commands) {
  auto* serve = app.add_subcommand("serve", "migrate, then serve gRPC (the default)");
  auto no_migrate = std::make_shared<bool>(false);
  serve->add_flag("--no-migrate", *no_migrate, "do not apply migrations first")
      ->envname("COMPLIANCE_NO_MIGRATE");
  // Serving is also what runs when no subcommand is given: see main().
  commands.push_back({serve, true, [&config, no_migrate] {
                        config.migrate_on_start = !*no_migrate;
                        return Serve(config);
                      }});
  auto* migrate = app.add_subcommand("migrate", "apply pending migrations and exit");
  auto grant_to = std::make_shared<std::string>();
  migrate
      ->add_option("--grant-to", *grant_to,
                   "then grant this role what serving needs and no more: it may only read and "
                   "append the audit log (README: least privilege)")
      ->envname("COMPLIANCE_GRANT_TO");
  commands.push_back({migrate, true, [&config, grant_to] { return Migrate(config, *grant_to); }});
}

void AddTokenCommands(CLI::App& app, Config& config, std::vector<Command>& commands) {
  auto* token = app.add_subcommand("token", "create, list and revoke API tokens");
  token->require_subcommand(1);
  struct Args {
    std::string name, role;
    std::vector<std::string> sources;
  };
  auto args = std::make_shared<Args>();
  auto* create = token->add_subcommand("create", "create a token; prints it alone on stdout");
  create->add_option("--name", args->name, "token name, the actor in audit events")->required();
  create->add_option("--role", args->role, "viewer, integrator, editor or admin")->required();
  create->add_option("--source", args->sources,
                     "integrators: a source it may write (repeatable); default any");
  create->footer(
      "Example: compliance-server token create --name hr-sync --role integrator --source "
      "hr-system\n");
  commands.push_back({create, true, [&config, args] {
                        return CreateToken(config, args->name, args->role, args->sources);
                      }});
  auto* list = token->add_subcommand("list", "list tokens (never their secrets)");
  commands.push_back({list, true, [&config] { return ListTokens(config); }});
  auto* revoke = token->add_subcommand("revoke", "revoke a token (refused within 5 s)");
  revoke->add_option("name", args->name, "token name")->required();
  commands.push_back({revoke, true, [&config, args] { return RevokeToken(config, args->name); }});
}

void AddAuditKeyCommands(CLI::App& app, Config& config, std::vector<Command>& commands) {
  auto* audit_key = app.add_subcommand("audit-key", "make the key that signs audit checkpoints");
  audit_key->require_subcommand(1);
  auto key_name = std::make_shared<std::string>("compliance-status");
  auto* create = audit_key->add_subcommand(
      "create", "write a new Ed25519 key to --audit-signing-key; prints its verifier key");
  create->add_option("--name", *key_name, "key name, also the log's origin line")
      ->capture_default_str();
  create->footer(
      "Example: compliance-server audit-key create --name audit.example.com/compliance "
      "--audit-signing-key /etc/compliance/audit.key\n");
  commands.push_back({create, false, [&config, key_name] {
                        return CreateAuditKey(config.audit_signing_key, *key_name);
                      }});
  auto* verifier = audit_key->add_subcommand(
      "public", "print the verifier key of --audit-signing-key, for `compliancectl audit verify`");
  commands.push_back(
      {verifier, false, [&config] { return PrintAuditVerifierKey(config.audit_signing_key); }});
}

int Run(const Command& command, Config& config) {
  if (command.needs_database) {
    if (config.database_url.empty()) {
      spdlog::critical("no database: set DATABASE_URL or --database-url");
      return 2;
    }
    config.database_url = WithConnectionDefaults(config.database_url);
  }
  return command.run();
}

}  // namespace
}  // namespace compliance

int main(int argc, char** argv) {
  compliance::BlockTerminationSignals();
  compliance::Config config;
  CLI::App app{"compliance-server: ISO/IEC 27001:2022 clause 5.1 compliance status over gRPC"};
  app.set_version_flag("--version", "compliance-server 0.1.0");
  compliance::AddServerFlags(app, config);
  app.require_subcommand(0, 1);
  // Subcommands made after this take the shared flags too: `serve --listen …` as well as
  // `--listen … serve`.
  app.fallthrough();
  std::vector<compliance::Command> commands;
  compliance::AddServeAndMigrate(app, config, commands);
  compliance::AddTokenCommands(app, config, commands);
  compliance::AddAuditKeyCommands(app, config, commands);
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("compliance"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  for (const auto& command : commands) {
    if (command.app->parsed()) return compliance::Run(command, config);
  }
  return compliance::Run(commands.front(), config);  // no subcommand: serve
}
