#include "http/https_server.h"

#include <sys/socket.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "http/growing_thread_pool.h"
#include "http/http_response.h"

namespace compliance {
namespace {

// A client may keep one connection for many requests, as gRPC clients do.
constexpr size_t kRequestsPerConnection = 100000;

// httplib 0.11 listens with a backlog of 5: a client pool opening its connections at once
// overflows it, and the kernel drops SYNs that clients resend only a second later (the bench
// saw p99 over 1 s). Listening again on the bound socket widens the queue, as Linux allows;
// the socket is a protected member of the server, reached through this derived class.
struct ListeningSocket : httplib::Server {
  static bool Widen(httplib::Server& server) {
    return ::listen(server.*(&ListeningSocket::svr_sock_), SOMAXCONN) == 0;
  }
};

int WholeSeconds(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Seconds(duration));
}

// Errors the library answers itself (a body over the limit, a bad request line) and a
// handler's exception get the same google.rpc.Status body as the API's own.
void AnswerErrorsAsStatus(httplib::Server& server) {
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        response.set_content(ProtocolErrorJson(response.status), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        response.status = 500;
        response.set_content(ErrorJson(grpc::Status(grpc::StatusCode::INTERNAL, "internal error")),
                             "application/json");
      });
}

}  // namespace

HttpsServer::HttpsServer(AsyncHttpHandler handler, HttpLimits limits)
    : handler_(std::move(handler)), limits_(limits) {}

HttpsServer::~HttpsServer() { Stop(); }

absl::StatusOr<int> HttpsServer::Start(const Tls& tls, const std::string& host, int port,
                                       int threads) {
  server_ = std::make_unique<httplib::SSLServer>(
      tls.cert.c_str(), tls.key.c_str(), tls.client_ca.empty() ? nullptr : tls.client_ca.c_str());
  if (!server_->is_valid()) {
    return absl::InvalidArgumentError("--tls-cert, --tls-key or --tls-client-ca: unusable");
  }
  server_->new_task_queue = [threads] { return new GrowingThreadPool(threads); };
  server_->set_payload_max_length(limits_.max_body_bytes);
  server_->set_keep_alive_max_count(kRequestsPerConnection);
  server_->set_keep_alive_timeout(WholeSeconds(limits_.keep_alive));
  server_->set_read_timeout(WholeSeconds(limits_.read));
  server_->set_write_timeout(WholeSeconds(limits_.write));
  server_->set_tcp_nodelay(true);
  // httplib also sets SO_REUSEPORT, with which a second server on the same port would take
  // half its connections instead of failing to start.
  server_->set_socket_options([](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    absl::Notification answered;
    handler_(request, [&](httplib::Response answer) {
      response = std::move(answer);
      answered.Notify();
    });
    answered.WaitForNotification();
  };
  server_->Get(".*", handle).Post(".*", handle).Patch(".*", handle).Put(".*", handle);
  server_->Delete(".*", handle);
  AnswerErrorsAsStatus(*server_);
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
      return absl::UnavailableError("the HTTPS listener did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return bound;
}

void HttpsServer::Stop() {
  if (!listener_.joinable()) return;
  server_->stop();
  listener_.join();
}

}  // namespace compliance
