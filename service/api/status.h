#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace compliance {

/// absl and gRPC share status code numbers, so the conversion is direct.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace compliance
