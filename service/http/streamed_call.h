#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>  // protobuf messages as gRPC payloads
#include <grpcpp/support/client_callback.h>

#include <deque>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace compliance {

/// A server-streaming call read by an HTTP response (Server-Sent Events). Messages wait in a
/// short queue: while it is full no further message is read, so a slow HTTP client holds the
/// stream back through gRPC's flow control instead of growing memory.
class StreamedCall final
    : public grpc::ClientBidiReactor<google::protobuf::Message, google::protobuf::Message> {
 public:
  StreamedCall(const google::protobuf::Message& request,
               const google::protobuf::Descriptor& response_type);
  ~StreamedCall() override;

  grpc::ClientContext& context() { return context_; }
  /// Sends the request and starts reading; once, after the stub has prepared the call.
  void Begin();

  /// Waits until the call has started or ended; false, with the status, when it ended first
  /// (refused: bad token, bad request …). Over the in-process channel a refusal also comes
  /// with (empty) headers, immediately followed by its status; so a started call counts as
  /// refused when it ends within `grace` without a message.
  bool AwaitStart(absl::Duration grace, grpc::Status* status);

  /// What Next found.
  enum class Next { kMessage, kIdle, kEnded };
  /// The next message, nothing within `wait` (kIdle), or the end and its status.
  Next Pop(absl::Duration wait, std::unique_ptr<google::protobuf::Message>* message,
           grpc::Status* status);

  /// Cancels the call (the HTTP client went away) and waits until gRPC is done with it.
  void Cancel();

  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  void ReadNext();

  grpc::ClientContext context_;
  std::unique_ptr<google::protobuf::Message> request_;
  const google::protobuf::Message& response_prototype_;
  // Written by gRPC between StartRead and OnReadDone only.
  std::unique_ptr<google::protobuf::Message> reading_;
  absl::Mutex mutex_;
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
  bool read_paused_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mutex_);
  std::deque<std::unique_ptr<google::protobuf::Message>> queue_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace compliance
