#pragma once

#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace compliance {

/// One client's plain-TCP connection to the REST listener, as httplib reads requests from it
/// and writes answers to it. It does what httplib's own socket stream does, with fewer system
/// calls on the way (each a tenth of a REST call's time, under perf):
/// - it waits for data only when it has none: one poll() a request, where httplib's stream
///   polls before every read and every write;
/// - it sends an answer of known length, head and body, with one sendmsg(): httplib writes
///   the head and then the body, two segments for every answer;
/// - it keeps bytes read past a request for the next one, so pipelined requests are answered.
/// Answers streamed in chunks (Server-Sent Events) go out write by write, as they come.
class SocketConnection final : public httplib::Stream {
 public:
  /// `socket` stays open (its owner closes it). Reads and writes give up after the timeouts.
  SocketConnection(int socket, absl::Duration read_timeout, absl::Duration write_timeout);

  /// Waits for the first bytes of the next request: false when the peer closed the
  /// connection, it stayed silent for `idle`, or `stopping()` turned true (checked every few
  /// tens of milliseconds while waiting).
  bool AwaitRequest(absl::Duration idle, const std::function<bool()>& stopping);
  /// Sends what an answer's head still holds back (an answer without a body); false on a
  /// write error.
  bool Flush();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return socket_; }

 private:
  /// Reads what the socket has into the emptied buffer, waiting up to `wait`; false at the
  /// end of the connection, on an error or when nothing came.
  bool Fill(absl::Duration wait);
  /// Sends the held head and then `size` bytes at `data`, whole; false on an error.
  bool SendWithHeld(const char* data, size_t size);

  const int socket_;
  const absl::Duration read_timeout_;
  const absl::Duration write_timeout_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  ///< unread bytes are buffer_[begin_, end_)
  size_t end_ = 0;
  std::string held_;  ///< an answer's head, waiting for its body
};

}  // namespace compliance
