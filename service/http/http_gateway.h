#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config.h"
#include "http/event_loop_http_server.h"
#include "http/growing_thread_pool.h"
#include "http/http_exchange.h"
#include "http/http_routes.h"
#include "http/in_process_calls.h"
#include "http/rendered_answers.h"

namespace compliance {

/// The REST/JSON face of the API (HTTP/1.1): each RPC with a `google.api.http` rule is
/// transcoded onto the same services through the gRPC server's in-process channel, so that
/// authentication, validation, metrics, audit actor and idempotency are those of gRPC. A
/// server-streaming RPC is served as Server-Sent Events; `/openapi.json` serves the OpenAPI
/// document and `/healthz` the server's health.
class HttpGateway {
 public:
  HttpGateway(std::shared_ptr<grpc::Channel> channel, std::vector<HttpRoute> routes);
  ~HttpGateway();
  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  /// Listens on `config.http_listen` (with the gRPC listener's TLS settings) and serves on
  /// threads of its own; the bound port, or why it cannot.
  absl::StatusOr<int> Start(const Config& config);
  /// Stops accepting connections and waits for those being served.
  void Stop();

  /// Answers one request through `respond`: at once, or when its call ends.
  void Handle(httplib::Request request, HttpRespond respond);

 private:
  struct Target;
  void Transcode(const RouteMatch& match, const httplib::Request& request, absl::string_view query,
                 HttpRespond respond);
  void ServeStream(const google::protobuf::MethodDescriptor& method, CallMetadata metadata,
                   std::shared_ptr<google::protobuf::Message> request, HttpRespond respond);
  httplib::Response Answer(const Target& target, bool read, const std::string& if_none_match,
                           const grpc::Status& status, grpc::ByteBuffer& answer);
  void ServeHealth(HttpRespond respond);

  /// What a route calls, looked up once: its gRPC path and its messages' prototypes.
  struct Target {
    std::string path;
    const google::protobuf::Message* request;
    const google::protobuf::Message* response;
  };

  InProcessCalls calls_;
  RenderedAnswers answers_;
  const std::vector<HttpRoute> routes_;
  std::vector<Target> targets_;  ///< by route, in the same order
  // An event stream holds a thread for its life: these, up to --http-threads at once.
  std::unique_ptr<GrowingThreadPool> streams_;
  std::unique_ptr<EventLoopHttpServer> listener_;
};

}  // namespace compliance
