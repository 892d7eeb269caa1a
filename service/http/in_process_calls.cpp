#include "http/in_process_calls.h"

#include <chrono>

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

// An HTTP client cannot say how long it will wait; no call waits longer than this.
constexpr std::chrono::seconds kUnaryCallTimeout(60);

// A unary call in flight: what gRPC reads and writes until it ends.
struct PendingUnary {
  grpc::ClientContext context;
  std::unique_ptr<google::protobuf::Message> request;
  grpc::ByteBuffer response;
  InProcessCalls::UnaryDone done;
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

void InProcessCalls::Unary(const std::string& path, const CallMetadata& metadata,
                           std::unique_ptr<google::protobuf::Message> request, UnaryDone done) {
  auto* pending = new PendingUnary;
  pending->request = std::move(request);
  pending->done = std::move(done);
  AddMetadata(metadata, pending->context);
  pending->context.set_deadline(std::chrono::system_clock::now() + kUnaryCallTimeout);
  // The answer is handed on from the thread the call ends on: nobody waits for it.
  unary_stub_.UnaryCall(&pending->context, path, grpc::StubOptions(), pending->request.get(),
                        &pending->response, [pending](const grpc::Status& status) {
                          std::unique_ptr<PendingUnary> ended(pending);
                          ended->done(status, ended->response);
                        });
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
