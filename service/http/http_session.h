#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "http/http_exchange.h"

namespace compliance {

// A connection's handlers run one at a time, on any of the loop's threads. The concrete
// type, not asio's type-erased executor: erasing it cost 2.5 % of the server's time.
using HttpStrand = boost::asio::strand<boost::asio::io_context::executor_type>;
using HttpSocket = boost::asio::ip::tcp::socket::rebind_executor<HttpStrand>::other;
using HttpsStream = boost::asio::ssl::stream<HttpSocket>;
using HttpClock = std::chrono::steady_clock;

/// What the server needs of a connection, over TCP or TLS.
class HttpConnection {
 public:
  virtual ~HttpConnection() = default;
  virtual void Start() = 0;
  /// Closes the connection if it is waiting for a request (the server stops); one being
  /// served closes after its answer. Any thread.
  virtual void CloseIfIdle() = 0;
  /// Closes the connection if the read or write it waits for has outlived its limit. The
  /// server calls this for every connection about once a second: one timer for all of them
  /// instead of one armed and cancelled with every read and write.
  virtual void CloseIfLate(HttpClock::time_point now) = 0;
};

/// What the connections of one EventLoopHttpServer share.
struct SessionShared {
  AsyncHttpHandler handler;
  HttpLimits limits;
  std::atomic<bool> stopping{false};
  /// Bytes of request bodies the connections may still take on (HttpLimits).
  std::atomic<int64_t> bodies_room{0};

  absl::Mutex mutex;
  absl::flat_hash_map<HttpConnection*, std::weak_ptr<HttpConnection>> live ABSL_GUARDED_BY(mutex);
};

/// One HTTP/1.1 connection served on the event loop (Boost.Beast parses): reads a request
/// (pipelined ones wait in the buffer), hands it to the handler, and reads the next once the
/// answer, which may come from another thread, is written. No thread waits for a connection
/// or for a call. `Stream` is HttpSocket (plain TCP) or HttpsStream (TLS, which shakes hands
/// first); both are instantiated in http_session.cpp.
template <class Stream>
class HttpSession final : public HttpConnection,
                          public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  /// The accepted socket, and for TLS the server's context.
  template <class... Tls>
  HttpSession(SessionShared& shared, HttpSocket socket, Tls&... tls)
      : shared_(shared), work_(socket.get_executor()), stream_(std::move(socket), tls...) {}
  ~HttpSession() override;
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void Start() override;
  void CloseIfIdle() override;
  void CloseIfLate(HttpClock::time_point now) override;

 private:
  using Clock = HttpClock;

  void ReadHeader();
  void OnHeader(boost::beast::error_code error);
  void ReadBody();
  void OnReadFailed(boost::beast::error_code error);
  void Dispatch();
  void OnAnswer(httplib::Response answer);
  void Write(httplib::Response answer);
  void Refuse(int http_status);
  void Shutdown();
  void Linger();
  void Drain(size_t left);
  void ServeStream(httplib::Response answer);
  bool WriteFromOtherThread(const std::string& bytes);
  bool TakeBodyRoom();
  void GiveBodyRoomBack();
  void SetDeadline(absl::Duration limit);
  void ClearDeadline();

  SessionShared& shared_;
  // Counts as the event loop's outstanding work while the connection lives (released last,
  // after the socket): the loop's threads end only when every connection has.
  boost::asio::executor_work_guard<HttpStrand> work_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::atomic<Clock::rep> deadline_{0};  ///< of the pending read or write; 0: none
  int64_t body_room_ = 0;         ///< taken from SessionShared::bodies_room for the body being read
  std::string head_text_, body_;  ///< the answer being written
  bool reading_ = false;          ///< waiting for a request's first bytes (on the strand)
  bool keep_alive_ = false;       ///< of the request being answered
  bool head_ = false;
  bool lingering_ = false;  ///< a refused request's connection: drain, then close
  unsigned version_ = 11;
};

}  // namespace compliance
