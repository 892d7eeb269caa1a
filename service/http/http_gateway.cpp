#include "http/http_gateway.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/status.h"
#include "grpc/health/v1/health.pb.h"
#include "http/event_stream.h"
#include "http/growing_thread_pool.h"
#include "http/http_request.h"
#include "http/http_response.h"
#include "http/json_with_defaults.h"
#include "http/openapi_json.h"
#include "http/plain_http_server.h"

namespace compliance {
namespace {

using google::protobuf::Message;

// Room for the largest request gRPC takes (4 MiB) in the longer JSON form.
constexpr size_t kMaxBodyBytes = 8u << 20;
// How long a started event stream may take to turn out refused (see StreamedCall).
constexpr absl::Duration kRefusalGrace = absl::Milliseconds(200);
// A client may keep one connection for many requests, as gRPC clients do.
constexpr size_t kRequestsPerConnection = 100000;

void Fail(httplib::Response& response, const grpc::Status& status, int http_status = 0) {
  response.status = http_status ? http_status : HttpStatusOf(status.error_code());
  response.set_content(ErrorJson(status), "application/json");
}

const Message* Prototype(const google::protobuf::Descriptor& type) {
  return google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type);
}

// The bearer token passed on as gRPC metadata. gRPC accepts only printable ASCII there; any
// other byte is refused here rather than handed to it.
absl::StatusOr<CallMetadata> MetadataOf(const httplib::Request& request) {
  CallMetadata metadata;
  if (!request.has_header("Authorization")) return metadata;
  const std::string value = request.get_header_value("Authorization");
  for (unsigned char c : value) {
    if (c < 0x20 || c > 0x7e) {
      return absl::UnauthenticatedError("authorization: not a valid header value");
    }
  }
  metadata.emplace_back("authorization", value);
  return metadata;
}

// A resumed event stream (the browser's EventSource sends the last id it saw) continues
// after that id, whatever the URL said.
absl::Status ApplyLastEventId(const httplib::Request& request, Message& message) {
  if (!request.has_header("Last-Event-ID")) return absl::OkStatus();
  const auto* field = message.GetDescriptor()->FindFieldByName("after_sequence");
  int64_t sequence = 0;
  if (!field || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64 ||
      !absl::SimpleAtoi(request.get_header_value("Last-Event-ID"), &sequence)) {
    return absl::InvalidArgumentError("Last-Event-ID: must be the id of an event of this stream");
  }
  message.GetReflection()->SetInt64(&message, field, sequence);
  return absl::OkStatus();
}

std::pair<std::string, int> HostAndPort(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port)) port = -1;
  return {host, port};
}

// httplib 0.11 listens with a backlog of 5: a client pool opening its connections at once
// overflows it, and the kernel drops SYNs that clients resend only a second later (the bench
// saw p99 over 1 s). Listening again on the bound socket widens the queue, as Linux allows;
// the socket is a protected member of the server, reached through this derived class.
struct ListeningSocket : httplib::Server {
  static bool Widen(httplib::Server& server) {
    return ::listen(server.*(&ListeningSocket::svr_sock_), SOMAXCONN) == 0;
  }
};

std::unique_ptr<httplib::Server> NewServer(const Config& config) {
  if (config.tls_cert.empty()) return std::make_unique<PlainHttpServer>();
  return std::make_unique<httplib::SSLServer>(
      config.tls_cert.c_str(), config.tls_key.c_str(),
      config.tls_client_ca.empty() ? nullptr : config.tls_client_ca.c_str());
}

}  // namespace

HttpGateway::HttpGateway(std::shared_ptr<grpc::Channel> channel, std::vector<HttpRoute> routes)
    : calls_(std::move(channel)), routes_(std::move(routes)) {
  for (const HttpRoute& route : routes_) {
    targets_.push_back({GrpcPath(*route.method), Prototype(*route.method->input_type()),
                        Prototype(*route.method->output_type())});
  }
}

HttpGateway::~HttpGateway() { Stop(); }

absl::StatusOr<int> HttpGateway::Start(const Config& config) {
  const auto [host, port] = HostAndPort(config.http_listen);
  if (port < 0) return absl::InvalidArgumentError("--http-listen: must be host:port");
  server_ = NewServer(config);
  if (!server_->is_valid()) {
    return absl::InvalidArgumentError("--tls-cert, --tls-key or --tls-client-ca: unusable");
  }
  const int threads = config.http_threads;
  server_->new_task_queue = [threads] { return new GrowingThreadPool(threads); };
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_keep_alive_max_count(kRequestsPerConnection);
  // Answers go out whole at once; without this, Nagle's algorithm holds each small one back
  // until the client's delayed ACK (40 ms): the bench measured 640 calls/s instead of 20,000.
  server_->set_tcp_nodelay(true);
  // httplib also sets SO_REUSEPORT, with which a second server on the same port would take
  // half its connections instead of failing to start.
  server_->set_socket_options([](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    Handle(request, response);
  };
  server_->Get(".*", handle).Post(".*", handle).Patch(".*", handle).Put(".*", handle);
  server_->Delete(".*", handle);
  // Errors the library answers itself (a body over the limit, a bad request line) get the
  // same google.rpc.Status body as the API's own.
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const grpc::Status status =
            response.status == 413
                ? grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "body: larger than 8 MiB")
                : grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not valid HTTP");
        response.set_content(ErrorJson(status), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        Fail(response, grpc::Status(grpc::StatusCode::INTERNAL, "internal error"));
      });
  const int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0 || !ListeningSocket::Widen(*server_)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host, ":", port));
  }
  listener_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() does nothing until its loop runs: a drain right after the start would
  // otherwise leave the listener running for ever.
  for (int waited_ms = 0; !server_->is_running(); ++waited_ms) {
    if (waited_ms == 5000) {
      Stop();
      return absl::UnavailableError("the HTTP listener did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return bound;
}

void HttpGateway::Stop() {
  if (!listener_.joinable()) return;
  server_->stop();
  listener_.join();
}

void HttpGateway::Handle(const httplib::Request& request, httplib::Response& response) {
  const absl::string_view target(request.target);
  const size_t question = target.find('?');
  const absl::string_view path = target.substr(0, question);
  const absl::string_view query =
      question == absl::string_view::npos ? "" : target.substr(question + 1);
  const std::string verb = request.method == "HEAD" ? "GET" : request.method;
  if (verb == "GET" && path == "/openapi.json") {
    response.set_content(OpenApiJson(), "application/json");
    return;
  }
  if (verb == "GET" && path == "/healthz") return ServeHealth(response);
  const RouteMatch match = FindRoute(routes_, verb, path);
  if (match.route) return Transcode(match, request, query, response);
  if (match.other_verb) {
    return Fail(response,
                grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                             absl::StrCat(request.method, " is not allowed on ", path)),
                405);
  }
  Fail(response, grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no such path: ", path)));
}

void HttpGateway::Transcode(const RouteMatch& match, const httplib::Request& request,
                            absl::string_view query, httplib::Response& response) {
  const auto& method = *match.route->method;
  auto metadata = MetadataOf(request);
  if (!metadata.ok()) return Fail(response, ToGrpcStatus(metadata.status()));
  auto params = ParseQuery(query);
  if (!params.ok()) return Fail(response, ToGrpcStatus(params.status()));
  const Target& target = targets_[match.route - routes_.data()];
  std::unique_ptr<Message> call_request(target.request->New());
  const std::string if_match = request.get_header_value("If-Match");
  absl::Status built = BuildHttpRequest(
      *match.route, {match.bindings, *params, request.body, if_match}, *call_request);
  if (built.ok() && method.server_streaming()) built = ApplyLastEventId(request, *call_request);
  if (!built.ok()) return Fail(response, ToGrpcStatus(built));
  if (method.server_streaming()) {
    auto call = calls_.Stream(method, *metadata, *call_request);
    grpc::Status refused;
    if (!call->AwaitStart(kRefusalGrace, &refused)) return Fail(response, refused);
    return ServeEventStream(std::move(call), response);
  }
  grpc::ByteBuffer answer;
  const grpc::Status status = calls_.Unary(target.path, *metadata, *call_request, &answer);
  if (!status.ok()) return Fail(response, status);
  // Reads come back unchanged until what they read changes; writes answer each anew.
  auto rendered = answers_.Render(*target.response, answer, match.route->verb == "GET");
  if (!rendered.ok()) return Fail(response, ToGrpcStatus(rendered.status()));
  const std::string& etag = (*rendered)->etag;
  if (!etag.empty()) {
    response.set_header("ETag", absl::StrCat("\"", etag, "\""));
    const std::string if_none_match = request.get_header_value("If-None-Match");
    if (match.route->verb == "GET" && !if_none_match.empty() &&
        UnquoteEntityTag(if_none_match) == etag) {
      response.status = 304;
      return;
    }
  }
  response.set_content((*rendered)->json, "application/json");
}

void HttpGateway::ServeHealth(httplib::Response& response) {
  const auto* check =
      grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0)->FindMethodByName(
          "Check");
  grpc::health::v1::HealthCheckRequest request;
  grpc::ByteBuffer answer;
  grpc::health::v1::HealthCheckResponse health;
  static const std::string path = GrpcPath(*check);
  grpc::Status status = calls_.Unary(path, {}, request, &answer);
  if (status.ok()) status = grpc::SerializationTraits<Message>::Deserialize(&answer, &health);
  if (!status.ok()) return Fail(response, status);
  const bool serving = health.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  response.status = serving ? 200 : 503;
  response.set_content(JsonWithDefaults(health), "application/json");
}

}  // namespace compliance
