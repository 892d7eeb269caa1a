#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace compliance::cli {

/// A bash completion script for every command, subcommand and flag of `app`, derived from the
/// command tree itself so it never falls behind: `source <(compliancectl completion bash)`.
std::string BashCompletion(const CLI::App& app);

/// Adds `completion bash`, which prints that script.
void AddCompletionCommand(CLI::App& app, int& exit_code);

}  // namespace compliance::cli
