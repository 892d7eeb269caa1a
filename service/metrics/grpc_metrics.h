#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/status_code_enum.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace compliance {

/// gRPC serving metrics with go-grpc-prometheus's names, labels and code names, so existing
/// dashboards work unchanged: grpc_server_started_total, grpc_server_handled_total and the
/// grpc_server_handling_seconds histogram.
class GrpcServerMetrics {
 public:
  /// Registers the families and every method of `services` at zero, for every status code.
  GrpcServerMetrics(prometheus::Registry& registry,
                    const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  /// Per-method series, resolved once so that a call touches no map.
  struct Method {
    prometheus::Counter* started = nullptr;
    prometheus::Histogram* handling = nullptr;
    std::vector<prometheus::Counter*> handled;  ///< by status code number
  };

  /// The series of a full method name ("/pkg.Service/Method"); nullptr when unknown.
  Method* Find(const char* full_method);

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_;
  std::map<std::string, Method, std::less<>> methods_;
};

/// go-grpc-prometheus's name for a status code, e.g. "InvalidArgument".
const char* GoCodeName(grpc::StatusCode code);

}  // namespace compliance
