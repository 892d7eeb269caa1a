#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>

#include "absl/time/time.h"
#include "client_options.h"
#include "compliance/v1/action.pb.h"

namespace compliance::cli {

/// Adds `actions add|get|list|update|complete|cancel`; the chosen one stores its exit code.
void AddActionCommands(CLI::App& app, const ClientOptions& options, int& exit_code);

/// Prints the `actions list` table. Overdue OPEN actions always say `OVERDUE <how late>` in
/// STATE; with `terminal` a leading column marks them with "!", and with `color` their rows are
/// red.
void PrintActionTable(const google::protobuf::RepeatedPtrField<v1::LeadershipAction>& actions,
                      absl::Time now, bool terminal, bool color, std::ostream& out);

}  // namespace compliance::cli
