// compliance-server: wires configuration to the subcommands; the work lives in the library.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "config.h"
#include "server/audit_key_admin.h"
#include "server/server.h"
#include "server/token_admin.h"
#include "store/connection_options.h"
#include "store/migrations.h"
#include "store/service_role.h"

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
  auto* serve = app.add_subcommand("serve", "migrate, then serve gRPC (the default)");
  bool no_migrate = false;
  serve->add_flag("--no-migrate", no_migrate, "do not apply migrations first")
      ->envname("COMPLIANCE_NO_MIGRATE");
  auto* migrate = app.add_subcommand("migrate", "apply pending migrations and exit");
  std::string grant_to;
  migrate
      ->add_option("--grant-to", grant_to,
                   "then grant this role what serving needs and no more: it may only read and "
                   "append the audit log (README: least privilege)")
      ->envname("COMPLIANCE_GRANT_TO");
  auto* token = app.add_subcommand("token", "create, list and revoke API tokens");
  token->require_subcommand(1);
  std::string token_name, token_role;
  std::vector<std::string> token_sources;
  auto* token_create = token->add_subcommand("create", "create a token; prints it alone on stdout");
  token_create->add_option("--name", token_name, "token name, the actor in audit events")
      ->required();
  token_create->add_option("--role", token_role, "viewer, integrator, editor or admin")->required();
  token_create->add_option("--source", token_sources,
                           "integrators: a source it may write (repeatable); default any");
  token_create->footer(
      "Example: compliance-server token create --name hr-sync --role integrator --source "
      "hr-system\n");
  auto* token_list = token->add_subcommand("list", "list tokens (never their secrets)");
  auto* token_revoke = token->add_subcommand("revoke", "revoke a token (refused within 5 s)");
  token_revoke->add_option("name", token_name, "token name")->required();
  auto* audit_key = app.add_subcommand("audit-key", "make the key that signs audit checkpoints");
  audit_key->require_subcommand(1);
  std::string key_name = "compliance-status";
  auto* key_create = audit_key->add_subcommand(
      "create", "write a new Ed25519 key to --audit-signing-key; prints its verifier key");
  key_create->add_option("--name", key_name, "key name, also the log's origin line")
      ->capture_default_str();
  key_create->footer(
      "Example: compliance-server audit-key create --name audit.example.com/compliance "
      "--audit-signing-key /etc/compliance/audit.key\n");
  auto* key_public = audit_key->add_subcommand(
      "public", "print the verifier key of --audit-signing-key, for `compliancectl audit verify`");
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("compliance"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  if (key_create->parsed()) return compliance::CreateAuditKey(config.audit_signing_key, key_name);
  if (key_public->parsed()) return compliance::PrintAuditVerifierKey(config.audit_signing_key);
  if (config.database_url.empty()) {
    spdlog::critical("no database: set DATABASE_URL or --database-url");
    return 2;
  }
  config.database_url = compliance::WithConnectionDefaults(config.database_url);
  if (migrate->parsed()) {
    auto applied =
        compliance::ApplyMigrations(config.database_url, compliance::EmbeddedMigrations());
    if (!applied.ok()) {
      spdlog::critical("migration failed: {}", std::string(applied.status().message()));
      return 1;
    }
    spdlog::info("{} migration(s) applied; schema is current", *applied);
    if (!grant_to.empty()) {
      if (auto granted = compliance::GrantServiceRole(config.database_url, grant_to);
          !granted.ok()) {
        spdlog::critical("{}", std::string(granted.message()));
        return 1;
      }
      spdlog::info("role {} may serve: it reads and appends the audit log, and cannot rewrite it",
                   grant_to);
    }
    return 0;
  }
  if (token_create->parsed()) {
    return compliance::CreateToken(config, token_name, token_role, token_sources);
  }
  if (token_list->parsed()) return compliance::ListTokens(config);
  if (token_revoke->parsed()) return compliance::RevokeToken(config, token_name);
  config.migrate_on_start = !no_migrate;
  return compliance::Serve(config);
}
