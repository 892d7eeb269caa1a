#pragma once

#include <string>

namespace compliance {

/// Adds the connection settings the service relies on, unless the URL sets them already:
/// a connect timeout, and TCP keepalives with a user timeout so that a vanished database
/// host is noticed in seconds rather than after the kernel's default of many minutes.
/// Accepts both URL (`postgresql://…`) and `key=value` connection strings.
std::string WithConnectionDefaults(const std::string& database_url);

}  // namespace compliance
