#include "api/logging_interceptor.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "absl/strings/match.h"
#include "api/status_names.h"

namespace compliance {
namespace {

using grpc::experimental::InterceptionHookPoints;

class LoggingInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit LoggingInterceptor(const char* method)
      : method_(method),
        level_(absl::StartsWith(method, "/grpc.health.") ? spdlog::level::debug
                                                         : spdlog::level::info),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start_;
      spdlog::log(level_, "rpc method={} code={} duration_ms={:.3f}", method_,
                  StatusCodeName(status.error_code()), elapsed.count());
    }
    methods->Proceed();
  }

 private:
  const char* const method_;
  const spdlog::level::level_enum level_;
  const std::chrono::steady_clock::time_point start_;
};

}  // namespace

grpc::experimental::Interceptor* LoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new LoggingInterceptor(info->method() != nullptr ? info->method() : "unknown");
}

}  // namespace compliance
