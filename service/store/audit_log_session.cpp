#include "store/audit_log_session.h"

#include <poll.h>

#include <pqxx/pqxx>

#include "store/audit_store.h"
#include "store/statements.h"

namespace compliance {
namespace {

// Shared by every server process of one database: whoever holds it seals.
constexpr int64_t kSealerLockKey = 0x617564697473656c;  // "auditsel"
constexpr char kTrySealerLockSql[] = "SELECT pg_try_advisory_lock($1)";
constexpr char kNotifyPendingSql[] = "SELECT pg_notify('audit_pending', '')";

// Calls `on` for each notification on `channel` (run inside await_notification).
class Listener final : public pqxx::notification_receiver {
 public:
  Listener(pqxx::connection& connection, const std::string& channel, std::function<void()> on)
      : pqxx::notification_receiver(connection, channel), on_(std::move(on)) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { on_(); }

 private:
  std::function<void()> on_;
};

class PqxxTreeWork final : public AuditLogSession::TreeWork {
 public:
  explicit PqxxTreeWork(pqxx::connection& connection) : work_(connection) {}
  int64_t Size() override { return AuditTreeStore::TreeSize(work_); }
  std::optional<StoredCheckpoint> Latest() override { return AuditTreeStore::Latest(work_); }
  std::string Root(int64_t size) override { return AuditTreeStore::Root(work_, size); }
  std::vector<std::string> RangeHashes(const std::vector<LeafRange>& ranges) override {
    return AuditTreeStore::RangeHashes(work_, ranges);
  }
  void Record(const StoredCheckpoint& checkpoint) override {
    AuditTreeStore::Record(work_, checkpoint);
  }
  void Commit() override { work_.commit(); }

 private:
  pqxx::work work_;
};

}  // namespace

struct AuditLogSession::Connection {
  explicit Connection(const std::string& url) : connection(url) {}
  pqxx::connection connection;
  // Declared after the connection, so that they end before it does.
  std::unique_ptr<Listener> pending;
  std::unique_ptr<Listener> sealed;
};

AuditLogSession::AuditLogSession(const std::string& database_url, std::function<void()> on_pending,
                                 std::function<void()> on_sealed)
    : connection_(std::make_unique<Connection>(database_url)) {
  PrepareStatements(connection_->connection);
  // LISTEN takes effect with the next statement; from then on no commit goes unnoticed.
  connection_->pending =
      std::make_unique<Listener>(connection_->connection, "audit_pending", std::move(on_pending));
  connection_->sealed =
      std::make_unique<Listener>(connection_->connection, "audit_sealed", std::move(on_sealed));
}

AuditLogSession::~AuditLogSession() = default;

bool AuditLogSession::TryLeadSealing() {
  return pqxx::nontransaction(connection_->connection)
      .exec_params1(kTrySealerLockSql, kSealerLockKey)[0]
      .as<bool>();
}

bool AuditLogSession::Await(absl::Duration wait, int wake_fd) {
  pqxx::connection& connection = connection_->connection;
  // Notifications that arrived while other statements ran are already read: deliver those.
  if (connection.get_notifs() > 0) return true;
  pollfd fds[2] = {{connection.sock(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  const int timeout_ms =
      static_cast<int>(absl::ToInt64Milliseconds(absl::Ceil(wait, absl::Milliseconds(1))));
  const int ready = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
  if (ready <= 0) return false;
  // A lost connection reads as readable too: get_notifs then throws, and the worker reconnects.
  const bool notified = fds[0].revents != 0 && connection.get_notifs() > 0;
  return notified || (wake_fd >= 0 && fds[1].revents != 0);
}

void AuditLogSession::NotifyPending() {
  pqxx::nontransaction(connection_->connection).exec(kNotifyPendingSql);
}

int64_t AuditLogSession::Head() { return AuditStore::HeadOn(connection_->connection); }

std::vector<AuditEvent> AuditLogSession::ListAfter(int64_t after_sequence, int limit) {
  return AuditStore::ListOn(connection_->connection, after_sequence, limit);
}

int AuditLogSession::SealBatch(int limit, std::vector<AuditEvent>* sealed) {
  return AuditStore::SealBatch(connection_->connection, limit, sealed);
}

int AuditLogSession::ExtendTree(int limit) {
  return AuditTreeStore::Extend(connection_->connection, limit);
}

std::unique_ptr<AuditLogSession::TreeWork> AuditLogSession::BeginTreeWork() {
  return std::make_unique<PqxxTreeWork>(connection_->connection);
}

}  // namespace compliance
