#include "http/in_process_calls.h"

#include <chrono>

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

// An HTTP client cannot say how long it will wait; no call waits longer than this.
constexpr std::chrono::seconds kUnaryCallTimeout(60);

// The calling thread's completion queue: a call's completion comes back on the thread that
// waits for it, with no other thread to wake in between (the callback API's completion ran
// on a gRPC thread that then woke this one: two context switches a call, measured).
// In-process calls have no file descriptors to poll, so the queue does not poll: its thread
// sleeps on a condition variable instead of joining gRPC's shared epoll set, where it would
// take turns with every other waiting thread and be woken through an eventfd.
class ThreadQueue {
 public:
  ThreadQueue()
      : queue_(grpc_completion_queue_attributes{GRPC_CQ_CURRENT_VERSION, GRPC_CQ_NEXT,
                                                GRPC_CQ_NON_POLLING, nullptr}) {}
  ~ThreadQueue() {
    queue_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) {
    }
  }
  grpc::CompletionQueue& get() { return queue_; }

 private:
  // CompletionQueue's constructor from attributes is protected.
  struct NonPollingQueue : grpc::CompletionQueue {
    explicit NonPollingQueue(const grpc_completion_queue_attributes& attributes)
        : grpc::CompletionQueue(attributes) {}
  };
  NonPollingQueue queue_;
};

void AddMetadata(const CallMetadata& metadata, grpc::ClientContext& context) {
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
}

}  // namespace

std::string GrpcPath(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

InProcessCalls::InProcessCalls(std::shared_ptr<grpc::Channel> channel)
    : stub_(channel), unary_stub_(channel) {}

grpc::Status InProcessCalls::Unary(const std::string& path, const CallMetadata& metadata,
                                   const google::protobuf::Message& request,
                                   grpc::ByteBuffer* response) {
  thread_local ThreadQueue queue;
  grpc::ClientContext context;
  AddMetadata(metadata, context);
  context.set_deadline(std::chrono::system_clock::now() + kUnaryCallTimeout);
  auto call = unary_stub_.PrepareUnaryCall(&context, path, request, &queue.get());
  call->StartCall();
  grpc::Status status;
  call->Finish(response, &status, &status);
  void* tag = nullptr;
  bool ok = false;
  // The queue holds this call alone: its completion is the next event.
  if (!queue.get().Next(&tag, &ok) || tag != &status) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the in-process call was lost");
  }
  return status;
}

std::shared_ptr<StreamedCall> InProcessCalls::Stream(
    const google::protobuf::MethodDescriptor& method, const CallMetadata& metadata,
    const google::protobuf::Message& request) {
  auto call = std::make_shared<StreamedCall>(request, *method.output_type());
  AddMetadata(metadata, call->context());
  stub_.PrepareBidiStreamingCall(&call->context(), GrpcPath(method), grpc::StubOptions(),
                                 call.get());
  call->Begin();
  return call;
}

}  // namespace compliance
