#include "store/database_probe.h"

#include <spdlog/spdlog.h>

namespace compliance {

bool DatabaseProbe::Check() {
  try {
    if (!connection_ || !connection_->is_open()) {
      connection_ = std::make_unique<pqxx::connection>(database_url_);
      // A frozen database must read as down, not leave the probe waiting.
      pqxx::nontransaction(*connection_).exec("SET statement_timeout = 2000");
    }
    pqxx::nontransaction(*connection_).exec("SELECT 1");
    return true;
  } catch (const std::exception& e) {
    spdlog::debug("database probe failed: {}", e.what());
    connection_.reset();
    return false;
  }
}

}  // namespace compliance
