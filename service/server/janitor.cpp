#include "server/janitor.h"

#include <spdlog/spdlog.h>

namespace compliance {
namespace {

constexpr int kBatch = 1000;

}  // namespace

Janitor::Janitor(IdempotencyStore& store, const Clock& clock, absl::Duration retention,
                 absl::Duration interval)
    : store_(store), clock_(clock), retention_(retention), interval_(interval) {}

Janitor::~Janitor() { Stop(); }

void Janitor::Start() {
  thread_ = std::thread([this] {
    do {
      RunOnce();
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void Janitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

int Janitor::RunOnce() {
  const absl::Time before = clock_.Now() - retention_;
  int total = 0;
  while (true) {
    if (stop_.HasBeenNotified()) break;
    auto purged = store_.Purge(before, kBatch, absl::Now() + absl::Seconds(30));
    if (!purged.ok()) {
      spdlog::warn("idempotency key cleanup postponed: {}", std::string(purged.status().message()));
      break;
    }
    total += *purged;
    if (*purged < kBatch) break;
  }
  if (total > 0)
    spdlog::info("forgot {} request_ids older than {}", total, absl::FormatDuration(retention_));
  return total;
}

}  // namespace compliance
