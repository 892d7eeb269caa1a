#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "client_options.h"

namespace compliance::cli {

/// Adds `audit checkpoint`, `audit prove` and `audit consistency` to the `audit` group.
void AddAuditProofCommands(CLI::App& audit, const ClientOptions& options, int& exit_code);

/// `audit verify --key VKEY [--checkpoint FILE|DIR …]`: checks the server's signed checkpoint,
/// its consistency with every saved one, then every event against the signed roots. Returns
/// the exit code (kAuditBrokenExitCode when anything does not match).
int VerifySigned(const ClientOptions& options, const std::string& key,
                 const std::vector<std::string>& checkpoints);

}  // namespace compliance::cli
