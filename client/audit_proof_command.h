#pragma once

#include <CLI/CLI.hpp>

#include "client_options.h"

namespace compliance::cli {

/// Adds `audit checkpoint`, `audit prove` and `audit consistency` to the `audit` group.
void AddAuditProofCommands(CLI::App& audit, const ClientOptions& options, int& exit_code);

}  // namespace compliance::cli
