#include "api/call_interceptor.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "absl/strings/match.h"
#include "api/request_parse_errors.h"
#include "api/status.h"
#include "api/status_names.h"

namespace compliance {
namespace {

// Calls slower than this are logged even when they succeed.
constexpr std::chrono::milliseconds kSlowCall(250);

using grpc::experimental::InterceptionHookPoints;

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(const char* method, GrpcServerMetrics::Method* series)
      : method_(method),
        series_(series),
        level_(absl::StartsWith(method, "/grpc.health.") ? spdlog::level::debug
                                                         : spdlog::level::info),
        start_(std::chrono::steady_clock::now()) {
    if (series_ != nullptr) series_->started->Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // gRPC answers a request whose bytes do not parse with INTERNAL (sync methods) or
    // UNIMPLEMENTED (callback methods); either would tell the client something false.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsable_ = RequestParseError(method_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (!unparsable_.ok()) methods->ModifySendStatus(ToGrpcStatus(unparsable_));
      const grpc::Status status = methods->GetSendStatus();
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      if (series_ != nullptr) {
        const auto code = static_cast<size_t>(status.error_code());
        if (code < series_->handled.size()) series_->handled[code]->Increment();
        series_->handling->Observe(elapsed.count());
      }
      // A call that failed or took long is worth a line; one of thousands that went well a
      // second costs more than it tells (7 % of a GetRequirement under load, measured).
      const bool notable = !status.ok() || elapsed > kSlowCall;
      spdlog::log(notable ? level_ : spdlog::level::debug,
                  "rpc method={} code={} duration_ms={:.3f}", method_,
                  StatusCodeName(status.error_code()), elapsed.count() * 1000);
    }
    methods->Proceed();
  }

 private:
  const char* const method_;
  GrpcServerMetrics::Method* const series_;
  const spdlog::level::level_enum level_;
  const std::chrono::steady_clock::time_point start_;
  absl::Status unparsable_;
};

}  // namespace

grpc::experimental::Interceptor* CallInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  const char* method = info->method() != nullptr ? info->method() : "unknown";
  return new CallInterceptor(method, metrics_ != nullptr ? metrics_->Find(method) : nullptr);
}

}  // namespace compliance
