#pragma once

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "domain/clock.h"
#include "store/idempotency_store.h"

namespace compliance {

/// Background upkeep: forgets request_ids older than the retention, a small batch at a time.
/// Every replica may run one; they skip each other's rows instead of waiting.
class Janitor {
 public:
  Janitor(IdempotencyStore& store, const Clock& clock, absl::Duration retention,
          absl::Duration interval);
  ~Janitor();

  void Start();
  void Stop();

  /// One pass: purges in batches until nothing old is left. Returns the number purged.
  int RunOnce();

 private:
  IdempotencyStore& store_;
  const Clock& clock_;
  const absl::Duration retention_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace compliance
