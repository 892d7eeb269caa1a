#pragma once

#include <grpcpp/support/server_interceptor.h>

namespace compliance {

/// Writes one log line per RPC: method, status code and duration. Health checks log at debug
/// level so that probes do not drown the log.
class LoggingInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace compliance
