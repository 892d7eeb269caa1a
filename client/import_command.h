#pragma once

#include <CLI/CLI.hpp>

#include "client_options.h"

namespace compliance::cli {

/// Adds `evidence import` to the `evidence` group; it stores its exit code.
void AddImportCommand(CLI::App& evidence, const ClientOptions& options, int& exit_code);

}  // namespace compliance::cli
