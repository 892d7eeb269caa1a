#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace compliance::testing {

/// What a finished child process left behind.
struct ProcessResult {
  int exit_code = -1;  ///< -1 when killed by a signal
  std::string out;
  std::string err;
};

/// Runs `argv` to completion with `env` ("NAME=value") added to this process's environment.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

/// Starts `argv` with `env` added; its stdout is readable through `*stdout_fd`.
pid_t SpawnProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                   int* stdout_fd);

/// Waits for `pid`; returns its exit code, or -1 when a signal ended it.
int WaitProcess(pid_t pid);

}  // namespace compliance::testing
