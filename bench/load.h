#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

/// A PendingCall of one unary method, sent and answered as bytes: each start serializes a fresh
/// request as the generated stub would, and the answer is taken as it arrived, not parsed. The
/// client shares the two cores with the server, so parsing answers would charge the client's
/// work to the method whose answers are larger (a requirement with its catalog texts against
/// the health Check's few bytes) and hide the server's cost behind it. (wrk, on the REST rows,
/// does not parse answers either.)
template <typename Request>
class UnaryCall final : public PendingCall {
 public:
  UnaryCall(grpc::GenericStub* stub, std::string method, std::function<Request()> next_request,
            std::string token)
      : stub_(stub),
        method_(std::move(method)),
        next_request_(std::move(next_request)),
        token_(std::move(token)) {}

  void Start(grpc::CompletionQueue* queue) override {
    context_ = std::make_unique<grpc::ClientContext>();
    if (!token_.empty()) context_->AddMetadata("authorization", "Bearer " + token_);
    request_.Clear();
    response_.Clear();
    bool own_buffer = false;
    const grpc::Status serialized =
        grpc::SerializationTraits<Request>::Serialize(next_request_(), &request_, &own_buffer);
    if (!serialized.ok()) throw std::runtime_error("cannot serialize a request");
    reader_ = stub_->PrepareUnaryCall(context_.get(), method_, request_, queue);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, this);
  }
  const grpc::Status& status() const override { return status_; }

 private:
  grpc::GenericStub* stub_;
  std::string method_;
  std::function<Request()> next_request_;
  std::string token_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::Status status_;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader_;
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

/// The path of `Service`'s method `name`, as a call names it on the wire.
template <typename Service>
std::string MethodPath(const char* name) {
  return absl::StrCat("/", Service::service_full_name(), "/", name);
}

/// A closed loop of the unary method `method` of the server at `server`, on `threads`
/// channels of their own; throws when a call fails.
template <typename Request>
LoadResult Drive(const std::string& server, const std::string& token, const LoadOptions& options,
                 const std::string& method, std::function<Request()> next_request,
                 bool with_token = true) {
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int t = 0; t < options.threads; ++t) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(OwnChannel(server, t)));
  }
  auto result = RunClosedLoop(options, [&](int thread) -> std::unique_ptr<PendingCall> {
    return std::make_unique<UnaryCall<Request>>(stubs[thread].get(), method, next_request,
                                                with_token ? token : "");
  });
  if (result.errors > 0) {
    throw std::runtime_error(absl::StrFormat("%d of %d calls failed, first: %s", result.errors,
                                             result.calls, result.first_error));
  }
  return result;
}

}  // namespace compliance::bench
