#pragma once

// The inside of a UnitOfWork, for repositories only: the transaction their statements run in.

#include <pqxx/pqxx>

#include "store/unit_of_work.h"

namespace compliance {

class UnitOfWork {
 public:
  UnitOfWork(pqxx::dbtransaction& work, absl::Time start, bool contended)
      : work_(work), start_(start), contended_(contended) {}

  pqxx::dbtransaction& work() { return work_; }
  absl::Time start() const { return start_; }
  bool contended() const { return contended_; }

 private:
  pqxx::dbtransaction& work_;
  const absl::Time start_;
  const bool contended_;
};

}  // namespace compliance
