#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "http/http_exchange.h"

namespace compliance {

/// The HTTPS listener: cpp-httplib's TLS server (OpenSSL), a thread per connection, up to
/// `threads` at once; each request waits in its thread for the handler's answer.
class HttpsServer final : public HttpListener {
 public:
  /// The server's certificate chain and key, and the CA its clients' certificates must come
  /// from (empty: clients need none), as PEM files.
  struct Tls {
    std::string cert, key, client_ca;
  };

  HttpsServer(AsyncHttpHandler handler, HttpLimits limits);
  ~HttpsServer() override;
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  /// Listens on `host`:`port` (0: any free port); the bound port, INVALID_ARGUMENT when the
  /// TLS files are unusable, UNAVAILABLE when it cannot listen there.
  absl::StatusOr<int> Start(const Tls& tls, const std::string& host, int port, int threads);
  void Stop() override;

 private:
  const AsyncHttpHandler handler_;
  const HttpLimits limits_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread listener_;
};

}  // namespace compliance
