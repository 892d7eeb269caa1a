#pragma once

#include <string>
#include <vector>

#include "config.h"

namespace compliance {

/// `compliance-server token create`: prints the new token alone on stdout. Returns the exit code.
int CreateToken(const Config& config, const std::string& name, const std::string& role,
                const std::vector<std::string>& sources);

/// `compliance-server token list`: names, roles, sources and state; never secrets.
int ListTokens(const Config& config);

/// `compliance-server token revoke NAME`.
int RevokeToken(const Config& config, const std::string& name);

}  // namespace compliance
