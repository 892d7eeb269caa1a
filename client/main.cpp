// compliancectl: the command line for people; flags here, each command in its own file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "action_command.h"
#include "audit_command.h"
#include "cli_values.h"
#include "client_options.h"
#include "completion.h"
#include "evidence_command.h"
#include "report_command.h"
#include "requirements_command.h"
#include "webhook_command.h"

namespace {

// The flags every command shares (server, deadline, output, credentials), apart from main so
// main reads as the wiring of the commands.
void AddGlobalFlags(CLI::App& app, compliance::cli::ClientOptions& options) {
  using compliance::cli::ParseHumanDuration;
  app.add_option("--server", options.server, "compliance-server address")
      ->envname("COMPLIANCE_SERVER")
      ->capture_default_str();
  app.add_option("--timeout", options.timeout, "deadline of each call, e.g. 10s, 1m")
      ->capture_default_str()
      ->check([](const std::string& value) {
        auto timeout = ParseHumanDuration(value);
        return timeout.ok() && *timeout > absl::ZeroDuration()
                   ? std::string()
                   : std::string("not a positive duration such as 10s");
      });
  app.add_option("-o,--output", options.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--token", options.token, "bearer token")->envname("COMPLIANCE_TOKEN");
  app.add_flag("--tls", options.tls, "connect with TLS, trusting the system's CAs")
      ->envname("COMPLIANCE_TLS");
  app.add_option("--ca", options.ca, "PEM file of the CA that signed the server certificate")
      ->envname("COMPLIANCE_CA")
      ->check(CLI::ExistingFile);
  auto* cert = app.add_option("--cert", options.cert, "client certificate (PEM), mutual TLS")
                   ->envname("COMPLIANCE_CERT")
                   ->check(CLI::ExistingFile);
  app.add_option("--key", options.key, "client key (PEM), mutual TLS")
      ->envname("COMPLIANCE_KEY")
      ->check(CLI::ExistingFile)
      ->needs(cert);
  cert->needs(app.get_option("--key"));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace compliance::cli;
  ClientOptions options;
  CLI::App app{"compliancectl: where you stand on ISO/IEC 27001:2022 clause 5.1"};
  app.footer("Example: compliancectl requirements list\n");
  app.set_version_flag("--version", "compliancectl 0.1.0");
  AddGlobalFlags(app, options);
  app.require_subcommand(1);
  app.fallthrough();

  int exit_code = 0;
  AddRequirementsCommands(app, options, exit_code);
  AddEvidenceCommands(app, options, exit_code);
  AddActionCommands(app, options, exit_code);
  AddAuditCommands(app, options, exit_code);
  AddReportCommands(app, options, exit_code);
  AddWebhookCommands(app, options, exit_code);
  AddCompletionCommand(app, exit_code);  // last: it describes every command added before
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage error
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return exit_code;
}
