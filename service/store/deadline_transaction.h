#pragma once

#include <pqxx/pqxx>
#include <string>

#include "absl/time/time.h"

namespace compliance {

/// A read-committed read-write transaction whose BEGIN also bounds every statement and lock
/// wait by the request's deadline and reads the transaction's start time as PostgreSQL keeps
/// it (now(), which column defaults such as create_time record): one round trip where
/// pqxx::work and a statement after it took two, on every write.
///
/// It is pqxx::work (libpqxx's basic_transaction: the same COMMIT, in-doubt handling and
/// rollback on destruction) but for what BEGIN sends.
class DeadlineTransaction final : public pqxx::internal::basic_transaction {
 public:
  DeadlineTransaction(pqxx::connection_base& connection, absl::Time deadline);
  ~DeadlineTransaction() noexcept override;

  /// now() of the transaction.
  absl::Time start() const { return start_; }

 private:
  void do_begin() override;

  std::string begin_sql_;
  absl::Time start_;
};

}  // namespace compliance
