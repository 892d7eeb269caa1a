#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

namespace compliance {

/// The identity recorded as reviewer or actor for a call.
// Until token authentication lands every caller is anonymous.
inline std::string CallerName(const grpc::ServerContext& /*context*/) { return "anonymous"; }

}  // namespace compliance
