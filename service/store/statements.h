#pragma once

#include <pqxx/pqxx>

namespace compliance {

/// Prepares every statement of every store on a new connection (the pool's initializer).
void PrepareStatements(pqxx::connection& connection);

}  // namespace compliance
