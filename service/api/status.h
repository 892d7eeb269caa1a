#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace compliance {

/// The gRPC status of an absl one (they share code numbers). An error about a request field
/// (its message starts with the field's path) also carries google.rpc.BadRequest naming the
/// field, in google.rpc.Status details, so clients find the field without reading the text.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace compliance
