#include "http/http_gateway.h"

#include <algorithm>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/status.h"
#include "grpc/health/v1/health.pb.h"
#include "http/event_loop_http_server.h"
#include "http/event_stream.h"
#include "http/http_request.h"
#include "http/http_response.h"
#include "http/json_with_defaults.h"
#include "http/openapi_json.h"

namespace compliance {
namespace {

using google::protobuf::Message;

// Room for the largest request gRPC takes (4 MiB) in the longer JSON form; timeouts as
// cpp-httplib's defaults.
constexpr HttpLimits kLimits{.max_body_bytes = 8u << 20,
                             .keep_alive = absl::Seconds(5),
                             .read = absl::Seconds(5),
                             .write = absl::Seconds(5)};
// How long a started event stream may take to turn out refused (see StreamedCall).
constexpr absl::Duration kRefusalGrace = absl::Milliseconds(200);

httplib::Response Failure(const grpc::Status& status, int http_status = 0) {
  httplib::Response response;
  response.status = http_status ? http_status : HttpStatusOf(status.error_code());
  response.set_content(ErrorJson(status), "application/json");
  return response;
}

httplib::Response Json(std::string json, int http_status = 200) {
  httplib::Response response;
  response.status = http_status;
  response.set_content(std::move(json), "application/json");
  return response;
}

// The event loop's threads: one per core, as the bench measured best on two.
int EventLoopThreads() {
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
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
  streams_ = std::make_unique<GrowingThreadPool>(config.http_threads);
  AsyncHttpHandler handler = [this](httplib::Request request, HttpRespond respond) {
    Handle(std::move(request), std::move(respond));
  };
  auto server = std::make_unique<EventLoopHttpServer>(std::move(handler), kLimits);
  std::optional<TlsFiles> tls;
  if (!config.tls_cert.empty()) {
    tls = TlsFiles{config.tls_cert, config.tls_key, config.tls_client_ca};
  }
  auto bound = server->Start(host, port, EventLoopThreads(), tls);
  if (bound.ok()) listener_ = std::move(server);
  return bound;
}

void HttpGateway::Stop() {
  if (listener_) listener_->Stop();
  listener_.reset();
  if (streams_) streams_->shutdown();
}

void HttpGateway::Handle(httplib::Request request, HttpRespond respond) {
  const absl::string_view target(request.target);
  const size_t question = target.find('?');
  const absl::string_view path = target.substr(0, question);
  const absl::string_view query =
      question == absl::string_view::npos ? "" : target.substr(question + 1);
  const std::string verb = request.method == "HEAD" ? "GET" : request.method;
  if (verb == "GET" && path == "/openapi.json") return respond(Json(OpenApiJson()));
  if (verb == "GET" && path == "/healthz") return ServeHealth(std::move(respond));
  const RouteMatch match = FindRoute(routes_, verb, path);
  if (match.route) return Transcode(match, request, query, std::move(respond));
  if (match.other_verb) {
    return respond(Failure(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                        absl::StrCat(request.method, " is not allowed on ", path)),
                           405));
  }
  respond(Failure(grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no such path: ", path))));
}

void HttpGateway::Transcode(const RouteMatch& match, const httplib::Request& request,
                            absl::string_view query, HttpRespond respond) {
  const auto& method = *match.route->method;
  auto metadata = MetadataOf(request);
  if (!metadata.ok()) return respond(Failure(ToGrpcStatus(metadata.status())));
  auto params = ParseQuery(query);
  if (!params.ok()) return respond(Failure(ToGrpcStatus(params.status())));
  const Target& target = targets_[match.route - routes_.data()];
  std::unique_ptr<Message> call_request(target.request->New());
  const std::string if_match = request.get_header_value("If-Match");
  absl::Status built = BuildHttpRequest(
      *match.route, {match.bindings, *params, request.body, if_match}, *call_request);
  if (built.ok() && method.server_streaming()) built = ApplyLastEventId(request, *call_request);
  if (!built.ok()) return respond(Failure(ToGrpcStatus(built)));
  if (method.server_streaming()) {
    return ServeStream(method, *std::move(metadata), std::move(call_request), std::move(respond));
  }
  const bool read = match.route->verb == "GET";
  calls_.Unary(
      target.path, *metadata, std::move(call_request),
      [this, &target, read, if_none_match = request.get_header_value("If-None-Match"),
       respond = std::move(respond)](const grpc::Status& status, grpc::ByteBuffer& answer) {
        respond(Answer(target, read, if_none_match, status, answer));
      });
}

// Waiting for the stream to start, and then serving it, holds a thread: one of the pool's,
// not the caller's (an event loop's).
void HttpGateway::ServeStream(const google::protobuf::MethodDescriptor& method,
                              CallMetadata metadata, std::shared_ptr<Message> request,
                              HttpRespond respond) {
  streams_->enqueue([this, &method, metadata = std::move(metadata), request = std::move(request),
                     respond = std::move(respond)] {
    auto call = calls_.Stream(method, metadata, *request);
    grpc::Status refused;
    if (!call->AwaitStart(kRefusalGrace, &refused)) return respond(Failure(refused));
    httplib::Response response;
    ServeEventStream(std::move(call), response);
    respond(std::move(response));
  });
}

// Reads come back unchanged until what they read changes; writes answer each anew.
httplib::Response HttpGateway::Answer(const Target& target, bool read,
                                      const std::string& if_none_match, const grpc::Status& status,
                                      grpc::ByteBuffer& answer) {
  if (!status.ok()) return Failure(status);
  auto rendered = answers_.Render(*target.response, answer, read);
  if (!rendered.ok()) return Failure(ToGrpcStatus(rendered.status()));
  httplib::Response response;
  const std::string& etag = (*rendered)->etag;
  if (!etag.empty()) {
    response.set_header("ETag", absl::StrCat("\"", etag, "\""));
    if (read && !if_none_match.empty() && UnquoteEntityTag(if_none_match) == etag) {
      response.status = 304;
      return response;
    }
  }
  response.status = 200;
  response.set_content((*rendered)->json, "application/json");
  return response;
}

void HttpGateway::ServeHealth(HttpRespond respond) {
  const auto* check =
      grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0)->FindMethodByName(
          "Check");
  static const std::string path = GrpcPath(*check);
  calls_.Unary(path, {}, std::make_unique<grpc::health::v1::HealthCheckRequest>(),
               [respond = std::move(respond)](grpc::Status status, grpc::ByteBuffer& answer) {
                 grpc::health::v1::HealthCheckResponse health;
                 if (status.ok()) {
                   status = grpc::SerializationTraits<Message>::Deserialize(&answer, &health);
                 }
                 if (!status.ok()) return respond(Failure(status));
                 const bool serving =
                     health.status() == grpc::health::v1::HealthCheckResponse::SERVING;
                 respond(Json(JsonWithDefaults(health), serving ? 200 : 503));
               });
}

}  // namespace compliance
