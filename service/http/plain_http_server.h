#pragma once

#include <httplib.h>

namespace compliance {

/// httplib's server for plain TCP, serving each connection through a SocketConnection
/// (fewer system calls per request, one segment per answer) instead of httplib's own stream.
/// Everything else, parsing and limits included, is httplib's. TLS connections keep
/// httplib's SSLServer.
class PlainHttpServer final : public httplib::Server {
 private:
  /// Serves the connection's requests, as many as the keep-alive limits allow, then closes it.
  bool process_and_close_socket(socket_t socket) override;
};

}  // namespace compliance
