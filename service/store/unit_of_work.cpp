#include "store/unit_of_work.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

// Marks a WriteConflict status apart from any ABORTED a rule may answer.
constexpr char kConflictPayload[] = "compliance.store/write-conflict";
constexpr int kConflictAttempts = 5;

bool IsWriteConflict(const absl::Status& status) {
  return status.GetPayload(kConflictPayload).has_value();
}

}  // namespace

absl::Time StartTime(const UnitOfWork& unit) { return unit.start(); }

bool Contended(const UnitOfWork& unit) { return unit.contended(); }

absl::Status WriteConflict(absl::string_view detail) {
  absl::Status status = absl::AbortedError(absl::StrCat("concurrent write: ", detail));
  status.SetPayload(kConflictPayload, absl::Cord("1"));
  return status;
}

absl::Status RunUnitOfWork(ConnectionPool& pool, absl::Time deadline,
                           const std::function<absl::Status(UnitOfWork&)>& body) {
  bool contended = false;
  for (int attempt = 1;; ++attempt) {
    auto done = RunTransactionAt<bool>(
        pool, deadline, [&](pqxx::dbtransaction& work, absl::Time start) -> absl::StatusOr<bool> {
          UnitOfWork unit(work, start, contended);
          if (auto status = body(unit); !status.ok()) return status;
          return true;
        });
    if (done.ok()) return absl::OkStatus();
    if (!IsWriteConflict(done.status())) return done.status();
    if (attempt == kConflictAttempts || absl::Now() >= deadline) {
      return FailureStatus(DatabaseFailure::kRetry);
    }
    contended = true;
  }
}

}  // namespace compliance
