#include "api/audit_worker.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "store/audit_store.h"
#include "store/statements.h"

namespace compliance {
namespace {

// Shared by every server process of one database: whoever holds it seals.
constexpr int64_t kSealerLockKey = 0x617564697473656c;  // "auditsel"
constexpr int kSealBatch = 1000;

// Calls `on_payload` for each notification on `channel` (run inside await_notification).
class Listener final : public pqxx::notification_receiver {
 public:
  Listener(pqxx::connection& connection, const std::string& channel,
           std::function<void(const std::string&)> on_payload)
      : pqxx::notification_receiver(connection, channel), on_payload_(std::move(on_payload)) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override {
    on_payload_(payload);
  }

 private:
  std::function<void(const std::string&)> on_payload_;
};

}  // namespace

AuditWorker::AuditWorker(std::string database_url, absl::Duration poll)
    : database_url_(std::move(database_url)), poll_(poll) {}

AuditWorker::~AuditWorker() { Stop(); }

void AuditWorker::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool AuditWorker::WaitBeyond(int64_t sequence, absl::Duration timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
                    [&] { return stopping_ || sealed_ > sequence; });
  return !stopping_;
}

void AuditWorker::Announce(int64_t sequence) {
  {
    std::lock_guard lock(mutex_);
    if (sequence <= sealed_) return;
    sealed_ = sequence;
  }
  changed_.notify_all();
}

void AuditWorker::Run() {
  const long poll_us = static_cast<long>(absl::ToInt64Microseconds(poll_));
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::unique_ptr<pqxx::connection> connection;
    std::unique_ptr<Listener> pending, sealed;
    try {
      connection = std::make_unique<pqxx::connection>(database_url_);
      PrepareStatements(*connection);
      pending = std::make_unique<Listener>(*connection, "audit_pending", [](const auto&) {});
      sealed = std::make_unique<Listener>(*connection, "audit_sealed", [this](const auto& payload) {
        int64_t sequence = 0;
        if (absl::SimpleAtoi(payload, &sequence)) Announce(sequence);
      });
      bool leader = false;
      while (true) {
        {
          std::lock_guard lock(mutex_);
          if (stopping_) break;
        }
        if (!leader) {
          leader = pqxx::nontransaction(*connection)
                       .exec_params1("SELECT pg_try_advisory_lock($1)", kSealerLockKey)[0]
                       .as<bool>();
          if (leader) spdlog::info("this process now seals the audit log");
        }
        if (leader) {
          while (AuditStore::SealBatch(*connection, kSealBatch) == kSealBatch) {
          }
        }
        // Wakes on any notification: new pending entries, or events sealed elsewhere.
        connection->await_notification(0, poll_us);
      }
    } catch (const std::exception& e) {
      spdlog::warn("audit worker: {}; retrying", e.what());
    }
    sealed.reset();
    pending.reset();
    connection.reset();
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
  }
}

}  // namespace compliance
