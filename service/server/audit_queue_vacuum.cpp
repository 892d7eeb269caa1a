#include "server/audit_queue_vacuum.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "store/audit_pending_vacuum.h"

namespace compliance {

AuditQueueVacuum::AuditQueueVacuum(std::string database_url)
    : database_url_(std::move(database_url)) {}

AuditQueueVacuum::~AuditQueueVacuum() { Stop(); }

void AuditQueueVacuum::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditQueueVacuum::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void AuditQueueVacuum::Moved(int64_t count) {
  absl::MutexLock lock(&mutex_);
  moved_ += count;
}

int64_t AuditQueueVacuum::vacuums() {
  absl::MutexLock lock(&mutex_);
  return vacuums_;
}

bool AuditQueueVacuum::Due() const { return stopping_ || moved_ >= kVacuumAfterMoved; }

void AuditQueueVacuum::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(this, &AuditQueueVacuum::Due));
      if (stopping_) return;
      // What is moved while the vacuum runs counts towards the next one.
      moved_ = 0;
    }
    const Outcome outcome = VacuumOnce();
    if (outcome == Outcome::kNotAllowed) return;
    absl::MutexLock lock(&mutex_);
    if (outcome == Outcome::kVacuumed) ++vacuums_;
  }
}

AuditQueueVacuum::Outcome AuditQueueVacuum::VacuumOnce() {
  try {
    if (!connection_) {
      connection_ = std::make_unique<pqxx::connection>(database_url_);
      if (!MayVacuumAuditPending(*connection_)) {
        spdlog::info("audit_pending is left to autovacuum: this role may not vacuum it");
        connection_.reset();
        return Outcome::kNotAllowed;
      }
    }
    VacuumAuditPending(*connection_);
    return Outcome::kVacuumed;
  } catch (const std::exception& e) {
    // The next one runs after as many moved entries again, on a new connection.
    spdlog::warn("vacuum of audit_pending: {}", e.what());
    connection_.reset();
    return Outcome::kFailed;
  }
}

}  // namespace compliance
