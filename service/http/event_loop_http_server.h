#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "http/http_exchange.h"

namespace compliance {

/// The HTTP/1.1 listener, over TCP or TLS: a few threads run an event loop (Boost.Asio) that
/// accepts, reads and writes every connection (OpenSSL through Asio for TLS), and
/// Boost.Beast parses requests. A request's handler answers when its call ends, from whatever
/// thread that is, so no thread waits for a connection's next request or for a call (measured
/// against a thread per connection in bench/README.md).
class EventLoopHttpServer {
 public:
  EventLoopHttpServer(AsyncHttpHandler handler, HttpLimits limits);
  ~EventLoopHttpServer();
  EventLoopHttpServer(const EventLoopHttpServer&) = delete;
  EventLoopHttpServer& operator=(const EventLoopHttpServer&) = delete;

  /// Listens on `host`:`port` (0: any free port) and serves on `threads` threads, over TLS
  /// when `tls` is given; the bound port, INVALID_ARGUMENT when the TLS files are unusable,
  /// UNAVAILABLE when it cannot listen there.
  absl::StatusOr<int> Start(const std::string& host, int port, int threads,
                            const std::optional<TlsFiles>& tls = std::nullopt);
  /// Stops accepting, closes idle connections, and returns once the requests being served
  /// have been answered.
  void Stop();

 private:
  struct Loop;
  void Accept();
  void Sweep();

  std::unique_ptr<Loop> loop_;
};

}  // namespace compliance
