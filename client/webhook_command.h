#pragma once

#include <CLI/CLI.hpp>

#include "client_options.h"

namespace compliance::cli {

/// Adds `webhooks create|list|get|update|delete|rotate-secret|resume`; the chosen one stores its
/// exit code.
void AddWebhookCommands(CLI::App& app, const ClientOptions& options, int& exit_code);

}  // namespace compliance::cli
