#include "stop_on_signal.h"

#include <algorithm>
#include <atomic>

#include "absl/time/clock.h"

namespace compliance::cli {
namespace {

// How often the watcher thread and Sleep look for a stop.
constexpr absl::Duration kTick = absl::Milliseconds(50);

// Set by SIGINT and SIGTERM while a StopOnSignal exists.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "used in a signal handler");

void RequestStop(int signal_number) {
  stop_requested.store(true);
  ::signal(signal_number, SIG_DFL);  // a second Ctrl-C ends the process at once
}

}  // namespace

StopOnSignal::StopOnSignal() {
  stop_requested.store(false);
  struct sigaction action {};
  action.sa_handler = RequestStop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
  thread_ = std::thread([this] { Run(); });
}

StopOnSignal::~StopOnSignal() {
  done_.Notify();
  thread_.join();
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
}

bool StopOnSignal::requested() const { return stop_requested.load(); }

void StopOnSignal::Watch(grpc::ClientContext* context) {
  absl::MutexLock lock(&mutex_);
  context_ = context;
  if (context_ != nullptr && requested()) context_->TryCancel();
}

bool StopOnSignal::Sleep(absl::Duration duration) const {
  const absl::Time until = absl::Now() + duration;
  while (!requested()) {
    const absl::Duration left = until - absl::Now();
    if (left <= absl::ZeroDuration()) return true;
    absl::SleepFor(std::min(left, kTick));
  }
  return false;
}

void StopOnSignal::Run() {
  do {
    if (requested()) {
      absl::MutexLock lock(&mutex_);
      if (context_ != nullptr) context_->TryCancel();
    }
  } while (!done_.WaitForNotificationWithTimeout(kTick));
}

}  // namespace compliance::cli
