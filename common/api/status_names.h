#pragma once

#include <grpcpp/support/status.h>

namespace compliance {

/// The canonical name of a status code, e.g. "NOT_FOUND", as gRPC tooling spells it.
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace compliance
