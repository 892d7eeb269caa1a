#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace compliance {

/// Messages serialized once per shared answer rather than once per call. ReadCache hands the
/// same immutable value to every call until the answer changes; the bytes rendered from it are
/// kept here for as long as that value lives, keyed by its identity (its control block, which
/// a weak_ptr held here keeps from being reused). Building and serialising the protobuf
/// answer was a fifth of a cached ListRequirements call's time on the server (perf).
template <typename V>
class WireMemo {
 public:
  /// One serialized message per element of the answer.
  using Pieces = std::vector<std::string>;

  /// The pieces rendered from `value` under `variant`, rendered now unless an earlier call
  /// rendered them from the same value under the same variant. `variant` names whatever else
  /// `render` reads (an answer's time-dependent flags at the call's instant, say).
  std::shared_ptr<const Pieces> Get(const std::shared_ptr<const V>& value,
                                    const std::string& variant,
                                    const std::function<Pieces(const V&)>& render) {
    {
      absl::MutexLock lock(&mutex_);
      if (auto it = memo_.find(value); it != memo_.end() && it->second.variant == variant) {
        return it->second.pieces;
      }
    }
    auto pieces = std::make_shared<const Pieces>(render(*value));
    absl::MutexLock lock(&mutex_);
    if (memo_.size() >= kMaxEntries) DropExpired();
    if (memo_.size() >= kMaxEntries) memo_.clear();  // many live answers at once: start over
    memo_.insert_or_assign(value, Rendered{variant, pieces});
    return pieces;
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
    std::shared_ptr<const Pieces> pieces;
  };

  mutable absl::Mutex mutex_;
  std::map<std::weak_ptr<const V>, Rendered, std::owner_less<>> memo_ ABSL_GUARDED_BY(mutex_);
};

/// Puts serialized messages into `message` as its field `number`, in order, exactly as they
/// would be on the wire had each been set there and serialized. They travel as unknown fields,
/// which protobuf writes out verbatim: whoever parses the answer sees the field itself.
inline void AppendSerialized(google::protobuf::Message& message, int number,
                             const std::vector<std::string>& pieces) {
  google::protobuf::UnknownFieldSet* unknown =
      message.GetReflection()->MutableUnknownFields(&message);
  for (const auto& piece : pieces) unknown->AddLengthDelimited(number, piece);
}

}  // namespace compliance
