#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace compliance {

/// An answer as the REST listener sends it.
struct RenderedAnswer {
  std::string json;  ///< protobuf's JSON mapping, defaults included (JsonWithDefaults)
  std::string etag;  ///< of the resource it carries (ResponseEtag); empty when none
};

/// The JSON of unary answers, by their type and their exact bytes. The JSON is a function of
/// those alone, so an answer that comes back unchanged (a dashboard polling a requirement) is
/// neither parsed nor rendered again: those were a ninth of a REST read's time under perf.
/// Memory is bounded: only answers up to kMaxKeptBytes are kept, and everything is dropped
/// when the kept bytes pass kMaxTotalBytes.
class RenderedAnswers {
 public:
  static constexpr size_t kMaxKeptBytes = 64 * 1024;
  static constexpr size_t kMaxTotalBytes = 8 * 1024 * 1024;

  /// The rendering of `answer`, a serialized message of `prototype`'s type; kept for the next
  /// equal answer when `keep`. INTERNAL when the bytes do not parse.
  absl::StatusOr<std::shared_ptr<const RenderedAnswer>> Render(
      const google::protobuf::Message& prototype, const grpc::ByteBuffer& answer, bool keep);

  /// How many renderings are kept (for the tests).
  size_t size() const;

 private:
  using ByBytes = absl::flat_hash_map<std::string, std::shared_ptr<const RenderedAnswer>>;

  mutable absl::Mutex mutex_;
  absl::flat_hash_map<const google::protobuf::Descriptor*, ByBytes> kept_ ABSL_GUARDED_BY(mutex_);
  size_t kept_bytes_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace compliance
