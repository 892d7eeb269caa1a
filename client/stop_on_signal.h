#pragma once

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace compliance::cli {

/// Turns SIGINT and SIGTERM into a clean stop of a command that runs until Ctrl-C (`audit
/// follow`): the running call is cancelled (from a thread of its own, as a signal handler may
/// not call into gRPC) and waits end early. A second signal ends the process at once. One
/// instance at a time.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  /// True once SIGINT or SIGTERM has arrived.
  bool requested() const;

  /// The call a stop cancels; null when none runs.
  void Watch(grpc::ClientContext* context);

  /// Sleeps for `duration`; false when a stop came first.
  bool Sleep(absl::Duration duration) const;

 private:
  // Cancels the watched call once a stop is requested, until the destructor says done.
  void Run();

  absl::Mutex mutex_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  absl::Notification done_;
  std::thread thread_;
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

}  // namespace compliance::cli
