#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace compliance {

/// How an answer's body is framed.
struct AnswerFraming {
  std::optional<size_t> content_length;  ///< none: no body (1xx, 204, 304)
  bool chunked = false;                  ///< an event stream, written chunk by chunk
  bool keep_alive = true;                ///< false: the connection closes after the answer
  /// How long a kept connection may wait idle for the next request, told to the client
  /// (Keep-Alive: timeout=N) so that it does not send one on a connection the server is
  /// closing; 0: not told.
  int64_t idle_seconds = 0;
};

/// An HTTP/1.x answer's status line and headers, through the blank line that ends them:
/// `headers` as they are, then Content-Length or Transfer-Encoding, then Connection when the
/// version's default does not hold, and Keep-Alive with the idle time a kept connection has.
/// One string, so that the head and the body leave in one write.
std::string AnswerHead(int status, unsigned version, const httplib::Headers& headers,
                       const AnswerFraming& framing);

}  // namespace compliance
