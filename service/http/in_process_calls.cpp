#include "http/in_process_calls.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"

namespace compliance {
namespace {

// An HTTP client cannot say how long it will wait; no call waits longer than this.
constexpr std::chrono::seconds kUnaryCallTimeout(60);

void AddMetadata(const CallMetadata& metadata, grpc::ClientContext& context) {
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
}

}  // namespace

std::string GrpcPath(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

InProcessCalls::InProcessCalls(std::shared_ptr<grpc::Channel> channel)
    : stub_(std::move(channel)) {}

grpc::Status InProcessCalls::Unary(const google::protobuf::MethodDescriptor& method,
                                   const CallMetadata& metadata,
                                   const google::protobuf::Message& request,
                                   google::protobuf::Message* response) {
  grpc::ClientContext context;
  AddMetadata(metadata, context);
  context.set_deadline(std::chrono::system_clock::now() + kUnaryCallTimeout);
  absl::Notification done;
  grpc::Status result;
  stub_.UnaryCall(&context, GrpcPath(method), grpc::StubOptions(), &request, response,
                  [&](grpc::Status status) {
                    result = std::move(status);
                    done.Notify();
                  });
  done.WaitForNotification();
  return result;
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
