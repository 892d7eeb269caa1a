#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.h"
#include "server_process.h"

namespace compliance::testing {

/// compliancectl with `args`, against `server`.
inline ProcessResult RunCli(const ServerProcess& server, std::vector<std::string> args) {
  args.insert(args.begin(), CliBinary());
  return RunProcess(args, {"COMPLIANCE_SERVER=" + server.address()});
}

/// RunCli with `-o json`, its output parsed; fails the test (and returns {}) on exit != 0.
inline nlohmann::json RunCliJson(const ServerProcess& server, std::vector<std::string> args) {
  args.insert(args.begin(), {"-o", "json"});
  const auto result = RunCli(server, std::move(args));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? nlohmann::json::parse(result.out) : nlohmann::json::object();
}

}  // namespace compliance::testing
