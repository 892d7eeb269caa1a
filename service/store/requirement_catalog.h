#pragma once

#include <pqxx/pqxx>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "domain/names.h"

namespace compliance {

/// Which requirements exist, remembered in memory: the catalog changes only by migration, so
/// a write that names known requirements need not ask the database. A key not known here
/// makes the table be read again (a newer replica may have migrated), once per question.
class RequirementCatalog {
 public:
  /// Prepares the catalog's statement on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Whether every key exists, reading the table only if one is not known here yet.
  bool AllExist(pqxx::transaction_base& work, const std::vector<RequirementKey>& keys);

  /// Whether `key` exists as of the last read (call after AllExist said no, to name it).
  bool Exists(const RequirementKey& key) {
    absl::MutexLock lock(&mutex_);
    return Known(key);
  }

 private:
  bool Known(const RequirementKey& key) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return keys_.count({key.framework, key.id}) > 0;
  }
  void Reload(pqxx::transaction_base& work);

  absl::Mutex mutex_;
  std::set<std::pair<std::string, std::string>> keys_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace compliance
