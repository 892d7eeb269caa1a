#include "http/plain_http_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include "http/socket_connection.h"

namespace compliance {

bool PlainHttpServer::process_and_close_socket(socket_t socket) {
  SocketConnection connection(
      socket, absl::Seconds(read_timeout_sec_) + absl::Microseconds(read_timeout_usec_),
      absl::Seconds(write_timeout_sec_) + absl::Microseconds(write_timeout_usec_));
  const auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  bool ok = false;
  for (size_t left = keep_alive_max_count_; left > 0; --left) {
    if (!connection.AwaitRequest(absl::Seconds(keep_alive_timeout_sec_), stopping)) break;
    bool closed = false;
    // The last request the limit allows is answered with "Connection: close".
    ok = process_request(connection, left == 1, closed, nullptr);
    ok = connection.Flush() && ok;
    if (!ok || closed) break;
  }
  ::shutdown(socket, SHUT_RDWR);
  ::close(socket);
  return ok;
}

}  // namespace compliance
