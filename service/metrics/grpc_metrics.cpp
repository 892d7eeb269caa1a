#include "metrics/grpc_metrics.h"

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

constexpr int kCodes = 17;  // OK … UNAUTHENTICATED

std::string GrpcType(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming() && method.server_streaming()) return "bidi_stream";
  if (method.client_streaming()) return "client_stream";
  if (method.server_streaming()) return "server_stream";
  return "unary";
}

}  // namespace

const char* GoCodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[kCodes] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < kCodes ? kNames[index] : "Unknown";
}

GrpcServerMetrics::GrpcServerMetrics(
    prometheus::Registry& registry,
    const std::vector<const google::protobuf::ServiceDescriptor*>& services)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success "
                         "or failure.")
                   .Register(registry)),
      handling_(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("Histogram of response latency (seconds) of gRPC that had been "
                          "application-level handled by the server.")
                    .Register(registry)) {
  // go-grpc-prometheus's default buckets (Prometheus' DefBuckets).
  const prometheus::Histogram::BucketBoundaries buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                           0.5,   1,    2.5,   5,    10};
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto& method = *service->method(i);
      const prometheus::Labels labels = {{"grpc_type", GrpcType(method)},
                                         {"grpc_service", service->full_name()},
                                         {"grpc_method", method.name()}};
      Method& series = methods_[absl::StrCat("/", service->full_name(), "/", method.name())];
      series.started = &started_.Add(labels);
      series.handling = &handling_.Add(labels, buckets);
      for (int code = 0; code < kCodes; ++code) {
        prometheus::Labels with_code = labels;
        with_code["grpc_code"] = GoCodeName(static_cast<grpc::StatusCode>(code));
        series.handled.push_back(&handled_.Add(with_code));
      }
    }
  }
}

GrpcServerMetrics::Method* GrpcServerMetrics::Find(const char* full_method) {
  if (full_method == nullptr) return nullptr;
  auto it = methods_.find(std::string_view(full_method));
  return it == methods_.end() ? nullptr : &it->second;
}

}  // namespace compliance
