#pragma once

#include <grpcpp/health_check_service_interface.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "store/database_probe.h"

namespace compliance {

/// Keeps grpc.health.v1 in step with the database: every `interval` it probes PostgreSQL and
/// marks the whole server ("") and each named service SERVING or NOT_SERVING.
class HealthMonitor {
 public:
  HealthMonitor(grpc::HealthCheckServiceInterface* health, std::vector<std::string> services,
                std::string database_url, absl::Duration interval);
  ~HealthMonitor();

  /// Probes once and sets the status, then keeps probing in the background.
  void Start();

  /// Stops probing. Does not change the reported status.
  void Stop();

 private:
  void Update(bool serving);
  void Run();

  grpc::HealthCheckServiceInterface* const health_;
  const std::vector<std::string> services_;
  DatabaseProbe probe_;
  const absl::Duration interval_;

  absl::Notification stop_;
  // Only the probing thread (or Start, before it) touches these.
  bool serving_ = false;
  bool first_update_ = true;
  std::thread thread_;
};

}  // namespace compliance
