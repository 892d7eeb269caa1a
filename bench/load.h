#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace compliance::bench {

/// Latency figures of one closed-loop run.
struct LoadResult {
  int64_t calls = 0;   ///< completed inside the measured window
  int64_t errors = 0;  ///< of those, not OK
  double seconds = 0;  ///< length of the measured window
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_error;
  double CallsPerSecond() const { return seconds > 0 ? calls / seconds : 0; }
};

/// One asynchronous unary call in flight; Start() posts `this` to the queue when it finishes.
class PendingCall {
 public:
  virtual ~PendingCall() = default;
  virtual void Start(grpc::CompletionQueue* queue) = 0;
  virtual const grpc::Status& status() const = 0;
  absl::Time started;
};

/// A PendingCall of any generated stub method, with a fresh request for every start.
template <typename Stub, typename Request, typename Response>
class UnaryCall final : public PendingCall {
 public:
  using Prepare = std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*)(
      grpc::ClientContext*, const Request&, grpc::CompletionQueue*);

  UnaryCall(Stub* stub, Prepare prepare, std::function<Request()> next_request, std::string token)
      : stub_(stub),
        prepare_(prepare),
        next_request_(std::move(next_request)),
        token_(std::move(token)) {}

  void Start(grpc::CompletionQueue* queue) override {
    context_ = std::make_unique<grpc::ClientContext>();
    if (!token_.empty()) context_->AddMetadata("authorization", "Bearer " + token_);
    request_ = next_request_();
    reader_ = (stub_->*prepare_)(context_.get(), request_, queue);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, this);
  }
  const grpc::Status& status() const override { return status_; }

 private:
  Stub* stub_;
  Prepare prepare_;
  std::function<Request()> next_request_;
  std::string token_;
  std::unique_ptr<grpc::ClientContext> context_;
  Request request_;
  Response response_;
  grpc::Status status_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
};

/// How long and how hard a closed loop runs.
struct LoadOptions {
  int in_flight = 1;                         ///< calls kept outstanding, spread over threads
  int threads = 1;                           ///< client threads, one completion queue each
  absl::Duration warmup = absl::Seconds(1);  ///< calls finishing earlier are not counted
  absl::Duration duration = absl::Seconds(5);
  int64_t max_calls = 0;  ///< stop after this many measured calls (0: run for `duration`)
};

/// Keeps `in_flight` calls outstanding (each finished call is restarted at once) and measures
/// what completes after the warm-up. `make_call(thread)` builds one call slot.
LoadResult RunClosedLoop(const LoadOptions& options,
                         const std::function<std::unique_ptr<PendingCall>(int thread)>& make_call);

/// The q-quantile (0…1) of `values`, which it sorts.
double Quantile(std::vector<double>& values, double q);

/// A channel of its own (no subchannel sharing with other channels of this process).
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target, int index);

/// Client threads of every closed loop: the server and PostgreSQL share the other core's time.
inline constexpr int kClientThreads = 2;

/// A closed loop of one stub method of the server at `server`, on `threads` channels of their
/// own; throws when a call fails.
template <typename Service, typename Request, typename Response,
          typename Stub = typename Service::Stub>
LoadResult Drive(const std::string& server, const std::string& token, const LoadOptions& options,
                 typename UnaryCall<Stub, Request, Response>::Prepare prepare,
                 std::function<Request()> next_request, bool with_token = true) {
  std::vector<std::unique_ptr<Stub>> stubs;
  for (int t = 0; t < options.threads; ++t) {
    stubs.push_back(Service::NewStub(OwnChannel(server, t)));
  }
  auto result = RunClosedLoop(options, [&](int thread) -> std::unique_ptr<PendingCall> {
    return std::make_unique<UnaryCall<Stub, Request, Response>>(
        stubs[thread].get(), prepare, next_request, with_token ? token : "");
  });
  if (result.errors > 0) {
    throw std::runtime_error(absl::StrFormat("%d of %d calls failed, first: %s", result.errors,
                                             result.calls, result.first_error));
  }
  return result;
}

}  // namespace compliance::bench
