#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "metrics/grpc_metrics.h"

namespace compliance {

/// Observes every call: counts it in the gRPC serving metrics and writes one log line with
/// method, status code and duration: at info level for a call that failed or took over
/// 250 ms, at debug level for the rest (`--log-level debug` shows every call). Health checks
/// log at debug level always, so that probes do not drown the log.
class CallInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(GrpcServerMetrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GrpcServerMetrics* const metrics_;
};

}  // namespace compliance
