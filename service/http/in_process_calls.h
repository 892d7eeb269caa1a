#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>  // protobuf messages as gRPC payloads

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/streamed_call.h"

namespace compliance {

/// Metadata an HTTP request passes on to the call it makes (the bearer token).
using CallMetadata = std::vector<std::pair<std::string, std::string>>;

/// Calls the server's own services through its in-process channel, so that a request that
/// came over HTTP meets the same interceptors (metrics, log), authentication, validation,
/// idempotency and audit as one that came over gRPC.
class InProcessCalls {
 public:
  explicit InProcessCalls(std::shared_ptr<grpc::Channel> channel);

  /// What a unary call ends with: its status and, when OK, the answer's bytes (which
  /// RenderedAnswers turns into JSON).
  using UnaryDone = std::function<void(const grpc::Status&, grpc::ByteBuffer&)>;

  /// Starts one unary call of the method at `path` (GrpcPath, which must outlive the call's
  /// start) and returns; `done` runs once, on a gRPC thread, when the call ends.
  void Unary(const std::string& path, const CallMetadata& metadata,
             std::unique_ptr<google::protobuf::Message> request, UnaryDone done);

  /// Starts a server-streaming call of `method`; read it through the returned object.
  std::shared_ptr<StreamedCall> Stream(const google::protobuf::MethodDescriptor& method,
                                       const CallMetadata& metadata,
                                       const google::protobuf::Message& request);

 private:
  grpc::TemplatedGenericStub<google::protobuf::Message, google::protobuf::Message> stub_;
  grpc::TemplatedGenericStub<google::protobuf::Message, grpc::ByteBuffer> unary_stub_;
};

/// "/compliance.v1.EvidenceService/CreateEvidence" for that method.
std::string GrpcPath(const google::protobuf::MethodDescriptor& method);

}  // namespace compliance
