// compliance-server: wires configuration to the subcommands; the work lives in the library.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "api/server.h"
#include "config.h"
#include "store/connection_options.h"
#include "store/migrations.h"

int main(int argc, char** argv) {
  compliance::BlockTerminationSignals();

  compliance::Config config;
  CLI::App app{"compliance-server: ISO/IEC 27001:2022 clause 5.1 compliance status over gRPC"};
  app.set_version_flag("--version", "compliance-server 0.1.0");
  compliance::AddServerFlags(app, config);
  app.require_subcommand(0, 1);
  auto* serve = app.add_subcommand("serve", "migrate, then serve gRPC (the default)");
  bool no_migrate = false;
  serve->add_flag("--no-migrate", no_migrate, "do not apply migrations first")
      ->envname("COMPLIANCE_NO_MIGRATE");
  auto* migrate = app.add_subcommand("migrate", "apply pending migrations and exit");
  app.fallthrough();
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("compliance"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
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
    return 0;
  }
  config.migrate_on_start = !no_migrate;
  return compliance::Serve(config);
}
