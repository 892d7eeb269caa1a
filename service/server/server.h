#pragma once

#include "config.h"

namespace compliance {

/// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards, so that
/// one thread can wait for them. Call first thing in main().
void BlockTerminationSignals();

/// Migrates (unless told not to), serves until SIGINT or SIGTERM, drains, and returns the
/// process exit code.
int Serve(const Config& config);

}  // namespace compliance
