#pragma once

#include <grpcpp/support/slice.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace compliance {

/// Answers serialized once per shared value rather than once per call. ReadCache hands the
/// same immutable value to every call until the answer changes; the bytes rendered from it are
/// kept here for as long as that value lives, keyed by its identity (its control block, which
/// a weak_ptr held here keeps from being reused). The bytes are a reference-counted slice that
/// gRPC sends as it is: building, serialising and copying the protobuf answer for each call
/// were a fifth of a cached ListRequirements call's time on the server (perf).
template <typename V>
class WireMemo {
 public:
  /// The bytes rendered from `value` under `variant`, rendered now unless an earlier call
  /// rendered them from the same value under the same variant. `variant` names whatever else
  /// `render` reads (an answer's time-dependent flags at the call's instant, say).
  grpc::Slice Get(const std::shared_ptr<const V>& value, const std::string& variant,
                  const std::function<std::string(const V&)>& render) {
    {
      absl::MutexLock lock(&mutex_);
      if (auto it = memo_.find(value); it != memo_.end() && it->second.variant == variant) {
        return it->second.bytes;
      }
    }
    grpc::Slice bytes(render(*value));
    absl::MutexLock lock(&mutex_);
    if (memo_.size() >= kMaxEntries) DropExpired();
    if (memo_.size() >= kMaxEntries) memo_.clear();  // many live answers at once: start over
    memo_.insert_or_assign(value, Rendered{variant, bytes});
    return bytes;
  }

  /// Entries held, live or not (for tests).
  size_t size() const {
    absl::MutexLock lock(&mutex_);
    return memo_.size();
  }

 private:
  static constexpr size_t kMaxEntries = 256;

  void DropExpired() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    for (auto it = memo_.begin(); it != memo_.end();) {
      it = it->first.expired() ? memo_.erase(it) : std::next(it);
    }
  }

  struct Rendered {
    std::string variant;
    grpc::Slice bytes;
  };

  mutable absl::Mutex mutex_;
  std::map<std::weak_ptr<const V>, Rendered, std::owner_less<>> memo_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace compliance
