#pragma once

#include <CLI/CLI.hpp>

#include "client_options.h"

namespace compliance::cli {

/// Adds `evidence add|get|list|withdraw|import`; the chosen one stores its exit code.
void AddEvidenceCommands(CLI::App& app, const ClientOptions& options, int& exit_code);

}  // namespace compliance::cli
