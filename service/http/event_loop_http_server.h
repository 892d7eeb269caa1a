#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "http/http_exchange.h"

namespace compliance {

/// The plain-TCP HTTP/1.1 listener: a few threads run an event loop (Boost.Asio) that
/// accepts, reads and writes every connection, and Boost.Beast parses requests and writes
/// answers. A request's handler answers when its call ends, from whatever thread that is,
/// so no thread waits for a connection's next request or for a call (measured against a
/// thread per connection in bench/README.md).
class EventLoopHttpServer final : public HttpListener {
 public:
  EventLoopHttpServer(AsyncHttpHandler handler, HttpLimits limits);
  ~EventLoopHttpServer() override;
  EventLoopHttpServer(const EventLoopHttpServer&) = delete;
  EventLoopHttpServer& operator=(const EventLoopHttpServer&) = delete;

  /// Listens on `host`:`port` (0: any free port) and serves on `threads` threads; the bound
  /// port, or UNAVAILABLE when it cannot listen there.
  absl::StatusOr<int> Start(const std::string& host, int port, int threads);
  void Stop() override;

 private:
  struct Loop;
  void Accept();
  void Sweep();

  std::unique_ptr<Loop> loop_;
};

}  // namespace compliance
