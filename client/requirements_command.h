#pragma once

#include <CLI/CLI.hpp>

#include "client_options.h"

namespace compliance::cli {

/// Adds `requirements list|get|update|review`; the chosen one stores its exit code.
void AddRequirementsCommands(CLI::App& app, const ClientOptions& options, int& exit_code);

}  // namespace compliance::cli
