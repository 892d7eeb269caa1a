#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "metrics/grpc_metrics.h"

namespace compliance {

/// Observes every call: counts it in the gRPC serving metrics and writes one log line with
/// method, status code and duration. Health checks log at debug level so that probes do not
/// drown the log.
class CallInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(GrpcServerMetrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GrpcServerMetrics* const metrics_;
};

}  // namespace compliance
