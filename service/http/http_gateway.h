#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "config.h"
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

  /// Listens on `config.http_listen` (with the gRPC listener's TLS settings) and serves on a
  /// thread of its own; the bound port, or why it cannot.
  absl::StatusOr<int> Start(const Config& config);
  /// Stops accepting connections and waits for those being served.
  void Stop();

  /// Answers one request (public for the tests that drive it without a socket).
  void Handle(const httplib::Request& request, httplib::Response& response);

 private:
  void Transcode(const RouteMatch& match, const httplib::Request& request, absl::string_view query,
                 httplib::Response& response);
  void ServeHealth(httplib::Response& response);

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
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
};

}  // namespace compliance
