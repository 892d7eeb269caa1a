#include "http/socket_connection.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/time/clock.h"

namespace compliance {
namespace {

constexpr size_t kBufferBytes = 16 * 1024;
// How often a connection waiting for its next request checks whether the server stops.
constexpr absl::Duration kStopCheck = absl::Milliseconds(50);

// poll() on one socket for `events`, up to `wait`; whether any came (errors included, so
// that the next call reports them).
bool Await(int socket, short events, absl::Duration wait) {
  pollfd one{socket, events, 0};
  const int ms = static_cast<int>(absl::ToInt64Milliseconds(std::max(wait, absl::ZeroDuration())));
  int ready;
  while ((ready = ::poll(&one, 1, ms)) < 0 && errno == EINTR) {
  }
  return ready > 0;
}

// The head of an answer whose length it states (httplib spells the header so): its body, if
// any, is the next write.
bool IsFixedLengthHead(const char* data, size_t size) {
  const absl::string_view text(data, size);
  return absl::StartsWith(text, "HTTP/1.") && absl::EndsWith(text, "\r\n\r\n") &&
         absl::StrContains(text, "\r\nContent-Length:");
}

void NameOf(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  char host[NI_MAXHOST] = "";
  char service[NI_MAXSERV] = "";
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, service,
                  sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

}  // namespace

SocketConnection::SocketConnection(int socket, absl::Duration read_timeout,
                                   absl::Duration write_timeout)
    : socket_(socket),
      read_timeout_(read_timeout),
      write_timeout_(write_timeout),
      buffer_(kBufferBytes) {
  // A blocking send that makes no progress for this long fails instead of hanging.
  const timeval send_timeout = absl::ToTimeval(write_timeout);
  setsockopt(socket_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
}

bool SocketConnection::Fill(absl::Duration wait) {
  begin_ = end_ = 0;  // called only once everything read was taken
  const auto receive = [this] {
    ssize_t n;
    while ((n = ::recv(socket_, buffer_.data(), buffer_.size(), MSG_DONTWAIT)) < 0 &&
           errno == EINTR) {
    }
    return n;
  };
  // The data is usually there already: try before waiting for it.
  ssize_t n = receive();
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Await(socket_, POLLIN, wait)) {
    n = receive();
  }
  if (n <= 0) return false;
  end_ = static_cast<size_t>(n);
  return true;
}

bool SocketConnection::AwaitRequest(absl::Duration idle, const std::function<bool()>& stopping) {
  const absl::Time until = absl::Now() + idle;
  while (begin_ == end_) {
    if (stopping()) return false;
    const absl::Duration left = until - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    if (Await(socket_, POLLIN, std::min(left, kStopCheck)) && !Fill(absl::ZeroDuration())) {
      return false;  // closed, or failed
    }
  }
  return !stopping();
}

bool SocketConnection::is_readable() const {
  return begin_ < end_ || Await(socket_, POLLIN, read_timeout_);
}

bool SocketConnection::is_writable() const {
  // As httplib's stream answers it: the peer takes more bytes now (or the socket failed, which
  // the next write reports).
  return Await(socket_, POLLOUT, write_timeout_);
}

ssize_t SocketConnection::read(char* ptr, size_t size) {
  if (begin_ == end_ && !Fill(read_timeout_)) return -1;
  const size_t n = std::min(size, end_ - begin_);
  std::memcpy(ptr, buffer_.data() + begin_, n);
  begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t SocketConnection::write(const char* ptr, size_t size) {
  if (held_.empty() && IsFixedLengthHead(ptr, size)) {
    held_.assign(ptr, size);
    return static_cast<ssize_t>(size);
  }
  return SendWithHeld(ptr, size) ? static_cast<ssize_t>(size) : -1;
}

bool SocketConnection::Flush() { return held_.empty() || SendWithHeld(nullptr, 0); }

bool SocketConnection::SendWithHeld(const char* data, size_t size) {
  iovec parts[2] = {{held_.data(), held_.size()}, {const_cast<char*>(data), size}};
  msghdr message{};
  message.msg_iov = held_.empty() ? parts + 1 : parts;
  message.msg_iovlen = held_.empty() ? 1 : 2;
  bool ok = true;
  while (message.msg_iovlen > 0) {
    const ssize_t sent = ::sendmsg(socket_, &message, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) {
      ok = false;
      break;
    }
    // Step past what went out: whole parts, then into the next one.
    size_t left = static_cast<size_t>(sent);
    while (message.msg_iovlen > 0 && left >= message.msg_iov->iov_len) {
      left -= message.msg_iov->iov_len;
      ++message.msg_iov;
      --message.msg_iovlen;
    }
    if (message.msg_iovlen > 0) {
      message.msg_iov->iov_base = static_cast<char*>(message.msg_iov->iov_base) + left;
      message.msg_iov->iov_len -= left;
    }
  }
  held_.clear();
  return ok;
}

void SocketConnection::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    NameOf(address, length, ip, port);
  }
}

void SocketConnection::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    NameOf(address, length, ip, port);
  }
}

}  // namespace compliance
