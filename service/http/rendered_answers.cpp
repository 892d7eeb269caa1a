#include "http/rendered_answers.h"

#include "http/http_response.h"
#include "http/json_with_defaults.h"

namespace compliance {

absl::StatusOr<std::shared_ptr<const RenderedAnswer>> RenderedAnswers::Render(
    const google::protobuf::Message& prototype, const grpc::ByteBuffer& answer, bool keep) {
  grpc::Slice slice;
  // An in-process answer is one slice: viewed in place, not copied.
  if (!answer.TrySingleSlice(&slice).ok() && !answer.DumpToSingleSlice(&slice).ok()) {
    return absl::InternalError("the answer could not be read");
  }
  const absl::string_view bytes(reinterpret_cast<const char*>(slice.begin()), slice.size());
  keep = keep && bytes.size() <= kMaxKeptBytes;
  const google::protobuf::Descriptor* type = prototype.GetDescriptor();
  if (keep) {
    absl::MutexLock lock(&mutex_);
    const auto kind = kept_.find(type);
    if (kind != kept_.end()) {
      const auto found = kind->second.find(bytes);
      if (found != kind->second.end()) return found->second;
    }
  }
  std::unique_ptr<google::protobuf::Message> message(prototype.New());
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InternalError("the answer could not be parsed");
  }
  auto rendered = std::make_shared<const RenderedAnswer>(
      RenderedAnswer{JsonWithDefaults(*message), ResponseEtag(*message)});
  if (keep) {
    absl::MutexLock lock(&mutex_);
    const size_t cost = bytes.size() + rendered->json.size();
    if (kept_bytes_ + cost > kMaxTotalBytes) {
      kept_.clear();
      kept_bytes_ = 0;
    }
    if (kept_[type].emplace(std::string(bytes), rendered).second) kept_bytes_ += cost;
  }
  return rendered;
}

size_t RenderedAnswers::size() const {
  absl::MutexLock lock(&mutex_);
  size_t count = 0;
  for (const auto& [type, by_bytes] : kept_) count += by_bytes.size();
  return count;
}

}  // namespace compliance
