#include "server/health_monitor.h"

#include <spdlog/spdlog.h>

namespace compliance {

HealthMonitor::HealthMonitor(grpc::HealthCheckServiceInterface* health,
                             std::vector<std::string> services, std::string database_url,
                             absl::Duration interval)
    : health_(health),
      services_(std::move(services)),
      probe_(std::move(database_url)),
      interval_(interval) {
  // Nothing is known about the database yet: not serving until the first probe says so.
  health_->SetServingStatus("", false);
  for (const auto& service : services_) health_->SetServingStatus(service, false);
}

HealthMonitor::~HealthMonitor() { Stop(); }

void HealthMonitor::Start() {
  Update(probe_.Check());
  thread_ = std::thread([this] { Run(); });
}

void HealthMonitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void HealthMonitor::Update(bool serving) {
  if (!first_update_ && serving == serving_) return;
  if (!first_update_) {
    if (serving) {
      spdlog::info("database reachable again: SERVING");
    } else {
      spdlog::warn("database unreachable: NOT_SERVING");
    }
  }
  first_update_ = false;
  serving_ = serving;
  health_->SetServingStatus("", serving);
  for (const auto& service : services_) health_->SetServingStatus(service, serving);
}

void HealthMonitor::Run() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    const bool serving = probe_.Check();
    if (stop_.HasBeenNotified()) break;
    Update(serving);
  }
}

}  // namespace compliance
