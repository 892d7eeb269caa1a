#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <string>

#include "absl/time/time.h"

namespace compliance {

/// Where a request's answer goes: called once, now or later, from any thread. An event
/// stream's answer (a chunked content provider) is handed over on a thread that may block
/// for as long as the stream lasts; the listener serves the stream from that thread.
using HttpRespond = std::function<void(httplib::Response)>;

/// Serves one request and answers it through the HttpRespond it is given.
using AsyncHttpHandler = std::function<void(httplib::Request, HttpRespond)>;

/// What the HTTP listener allows a connection.
struct HttpLimits {
  size_t max_body_bytes;
  absl::Duration keep_alive;  ///< how long a connection may wait idle for its next request
  absl::Duration read;        ///< for the rest of a request once it has begun
  absl::Duration write;       ///< for each write of an answer
  /// The event loop's bounds on what many clients at once may hold: connections open (more
  /// are closed as they come), and request bodies being received (a body that would pass
  /// this is refused with 503 until others are in).
  size_t max_connections = 1024;
  size_t max_bodies_bytes = 64u << 20;
};

/// PEM files: the server's certificate chain and key, and the CA its clients' certificates
/// must come from (empty: clients need none).
struct TlsFiles {
  std::string cert, key, client_ca;
};

/// The google.rpc.Status JSON of a request refused before it reached a route: 400 (not
/// valid HTTP), 413 (body over the limit), 431 (header too large) or 503 (too many bodies
/// being received at once).
std::string ProtocolErrorJson(int http_status);

}  // namespace compliance
