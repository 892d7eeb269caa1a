#include "http/event_loop_http_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "http/http_session.h"

namespace compliance {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// How often connections are checked for a read or write that outlived its limit.
constexpr auto kSweepInterval = std::chrono::seconds(1);

void Admit(HttpSocket socket, SessionShared& shared, asio::ssl::context* tls) {
  // Answers go out whole at once; Nagle's algorithm would hold each small one back until
  // the client's delayed ACK (40 ms).
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::shared_ptr<HttpConnection> session;
  if (tls) {
    session = std::make_shared<HttpSession<HttpsStream>>(shared, std::move(socket), *tls);
  } else {
    session = std::make_shared<HttpSession<HttpSocket>>(shared, std::move(socket));
  }
  {
    absl::MutexLock lock(&shared.mutex);
    // Past the limit a connection is closed as it comes (the session's end closes it).
    if (shared.live.size() >= shared.limits.max_connections) return;
    shared.live.emplace(session.get(), session);
  }
  session->Start();
}

// The server's side of TLS, as the gRPC listener offers it: TLS 1.2 or later, and with a
// client CA, only clients with a certificate it signed.
absl::StatusOr<asio::ssl::context> TlsContext(const TlsFiles& files) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  boost::system::error_code error;
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1,
                      error);
  if (!error) context.use_certificate_chain_file(files.cert, error);
  if (!error) context.use_private_key_file(files.key, asio::ssl::context::pem, error);
  if (!error && !files.client_ca.empty()) {
    context.load_verify_file(files.client_ca, error);
    if (!error) {
      context.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert,
                              error);
    }
  }
  if (error) {
    return absl::InvalidArgumentError("--tls-cert, --tls-key or --tls-client-ca: unusable");
  }
  return context;
}

}  // namespace

struct EventLoopHttpServer::Loop {
  asio::io_context io;
  tcp::acceptor acceptor{asio::make_strand(io)};
  asio::steady_timer sweeper{acceptor.get_executor()};
  std::optional<asio::ssl::context> tls;
  SessionShared shared;
  std::vector<std::thread> threads;

  std::vector<std::shared_ptr<HttpConnection>> Live() {
    std::vector<std::shared_ptr<HttpConnection>> live;
    absl::MutexLock lock(&shared.mutex);
    for (const auto& [session, weak] : shared.live) {
      if (auto alive = weak.lock()) live.push_back(std::move(alive));
    }
    return live;
  }
};

EventLoopHttpServer::EventLoopHttpServer(AsyncHttpHandler handler, HttpLimits limits)
    : loop_(std::make_unique<Loop>()) {
  loop_->shared.handler = std::move(handler);
  loop_->shared.limits = limits;
  loop_->shared.bodies_room = static_cast<int64_t>(limits.max_bodies_bytes);
}

EventLoopHttpServer::~EventLoopHttpServer() { Stop(); }

absl::StatusOr<int> EventLoopHttpServer::Start(const std::string& host, int port, int threads,
                                               const std::optional<TlsFiles>& tls) {
  if (tls) {
    auto context = TlsContext(*tls);
    if (!context.ok()) return context.status();
    loop_->tls.emplace(*std::move(context));
  }
  const auto unavailable = [&] {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host, ":", port));
  };
  boost::system::error_code error;
  tcp::resolver resolver(loop_->io);
  const auto found = resolver.resolve(host, std::to_string(port), error);
  if (error || found.empty()) return unavailable();
  const tcp::endpoint endpoint = *found.begin();
  tcp::acceptor& acceptor = loop_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  // SO_REUSEADDR alone: a second server on a busy port fails to start instead of sharing it.
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) return unavailable();
  const int bound = acceptor.local_endpoint(error).port();
  if (error) return unavailable();
  Accept();
  Sweep();
  for (int i = 0; i < std::max(threads, 1); ++i) {
    loop_->threads.emplace_back([this] { loop_->io.run(); });
  }
  return bound;
}

void EventLoopHttpServer::Accept() {
  loop_->acceptor.async_accept(HttpStrand(loop_->io.get_executor()),
                               [this](boost::system::error_code error, HttpSocket socket) {
                                 if (!error && !loop_->shared.stopping) {
                                   Admit(std::move(socket), loop_->shared,
                                         loop_->tls ? &*loop_->tls : nullptr);
                                 }
                                 if (loop_->acceptor.is_open()) Accept();
                               });
}

void EventLoopHttpServer::Sweep() {
  loop_->sweeper.expires_after(kSweepInterval);
  loop_->sweeper.async_wait([this](boost::system::error_code error) {
    if (error || loop_->shared.stopping) return;
    const auto now = HttpClock::now();
    for (const auto& session : loop_->Live()) session->CloseIfLate(now);
    Sweep();
  });
}

void EventLoopHttpServer::Stop() {
  if (loop_->threads.empty()) return;
  loop_->shared.stopping = true;
  asio::post(loop_->acceptor.get_executor(), [this] {
    boost::system::error_code ignored;
    loop_->acceptor.close(ignored);
    loop_->sweeper.cancel();
  });
  for (const auto& session : loop_->Live()) session->CloseIfIdle();
  // Each connection counts as the loop's work: the threads end when the last one has.
  for (auto& thread : loop_->threads) thread.join();
  loop_->threads.clear();
}

}  // namespace compliance
