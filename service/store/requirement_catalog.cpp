#include "store/requirement_catalog.h"

namespace compliance {
namespace {

constexpr char kKeys[] = "requirement_catalog_keys";
constexpr char kKeysSql[] = "SELECT framework, requirement_id FROM requirements";

}  // namespace

void RequirementCatalog::Prepare(pqxx::connection& connection) {
  connection.prepare(kKeys, kKeysSql);
}

bool RequirementCatalog::AllExist(pqxx::transaction_base& work,
                                  const std::vector<RequirementKey>& keys) {
  const auto all_known = [&] {
    absl::MutexLock lock(&mutex_);
    for (const auto& key : keys) {
      if (!Known(key)) return false;
    }
    return true;
  };
  if (all_known()) return true;
  Reload(work);
  return all_known();
}

void RequirementCatalog::Reload(pqxx::transaction_base& work) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& row : work.exec_prepared(kKeys)) {
    keys.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }
  absl::MutexLock lock(&mutex_);
  keys_ = std::move(keys);
}

}  // namespace compliance
