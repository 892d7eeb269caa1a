#include "http/streamed_call.h"

#include <google/protobuf/message.h>

namespace compliance {
namespace {

// Messages read ahead of a slow HTTP client; the stream's own batches are of this order.
constexpr size_t kQueuedMessages = 64;

}  // namespace

StreamedCall::StreamedCall(const google::protobuf::Message& request,
                           const google::protobuf::Descriptor& response_type)
    : request_(request.New()),
      response_prototype_(
          *google::protobuf::MessageFactory::generated_factory()->GetPrototype(&response_type)) {
  request_->CopyFrom(request);
}

StreamedCall::~StreamedCall() { Cancel(); }

void StreamedCall::Begin() {
  StartWriteLast(request_.get(), grpc::WriteOptions());
  reading_.reset(response_prototype_.New());
  StartRead(reading_.get());
  StartCall();
}

bool StreamedCall::AwaitStart(absl::Duration grace, grpc::Status* status) {
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(
      +[](StreamedCall* call)
           ABSL_EXCLUSIVE_LOCKS_REQUIRED(call->mutex_) { return call->started_ || call->done_; },
      this));
  mutex_.AwaitWithTimeout(absl::Condition(
                              +[](StreamedCall* call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(call->mutex_) {
                                return call->done_ || !call->queue_.empty();
                              },
                              this),
                          grace);
  if (!done_ || !queue_.empty() || status_.ok()) return true;
  *status = status_;
  return false;
}

StreamedCall::Next StreamedCall::Pop(absl::Duration wait,
                                     std::unique_ptr<google::protobuf::Message>* message,
                                     grpc::Status* status) {
  bool resume_reading = false;
  {
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(absl::Condition(
                                +[](StreamedCall* call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                     call->mutex_) { return !call->queue_.empty() || call->done_; },
                                this),
                            wait);
    if (queue_.empty()) {
      if (!done_) return Next::kIdle;
      *status = status_;
      return Next::kEnded;
    }
    *message = std::move(queue_.front());
    queue_.pop_front();
    resume_reading = read_paused_;
    read_paused_ = false;
  }
  if (resume_reading) ReadNext();
  return Next::kMessage;
}

void StreamedCall::Cancel() {
  context_.TryCancel();
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(&done_));
}

void StreamedCall::OnReadInitialMetadataDone(bool ok) {
  if (!ok) return;  // the call failed; OnDone tells how
  absl::MutexLock lock(&mutex_);
  started_ = true;
}

void StreamedCall::OnReadDone(bool ok) {
  if (!ok) return;  // the stream ended; OnDone follows
  bool read_on = false;
  {
    absl::MutexLock lock(&mutex_);
    queue_.push_back(std::move(reading_));
    read_on = queue_.size() < kQueuedMessages;
    read_paused_ = !read_on;
  }
  if (read_on) ReadNext();
}

void StreamedCall::ReadNext() {
  reading_.reset(response_prototype_.New());
  StartRead(reading_.get());
}

void StreamedCall::OnDone(const grpc::Status& status) {
  absl::MutexLock lock(&mutex_);
  status_ = status;
  done_ = true;
}

}  // namespace compliance
