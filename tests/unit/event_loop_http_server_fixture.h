#pragma once

// What the EventLoopHttpServer tests share: a raw client and a server whose handler answers
// at once, later from another thread, or as a stream.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "http/event_loop_http_server.h"

namespace compliance {

// A client that speaks raw bytes, to see exactly what the server sends and when.
class RawClient {
 public:
  explicit RawClient(int port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(socket_); }
  bool connected() const { return connected_; }

  void Send(const std::string& bytes) {
    ASSERT_EQ(::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // Everything received until `done(received)` holds, the server closes, or 10 s pass.
  template <typename Done>
  std::string ReadUntil(Done done) {
    while (!done(received_)) {
      pollfd one{socket_, POLLIN, 0};
      if (::poll(&one, 1, 10000) <= 0) break;
      char chunk[65536];
      const ssize_t n = ::recv(socket_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(chunk, static_cast<size_t>(n));
    }
    return received_;
  }
  std::string ReadUntilContains(const std::string& text, int times = 1) {
    return ReadUntil([&](const std::string& got) { return Count(got, text) >= times; });
  }
  bool ReadUntilClosed() {
    ReadUntil([](const std::string&) { return false; });
    return closed_;
  }
  static int Count(const std::string& text, const std::string& part) {
    int count = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
      ++count;
    }
    return count;
  }

 private:
  int socket_;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
};

inline constexpr char kGet[] = "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n";

inline httplib::Response Text(std::string text) {
  httplib::Response response;
  response.status = 200;
  response.set_content(std::move(text), "text/plain");
  return response;
}

class EventLoopHttpServerTest : public testing::Test {
 protected:
  void SetUp() override {
    const HttpLimits limits{.max_body_bytes = 1024,
                            .keep_alive = absl::Seconds(1),
                            .read = absl::Seconds(1),
                            .write = absl::Seconds(1),
                            .max_connections = 200,
                            .max_bodies_bytes = 1500};
    server_ = std::make_unique<EventLoopHttpServer>(
        [this](httplib::Request request, HttpRespond respond) {
          Handle(std::move(request), std::move(respond));
        },
        limits);
    auto port = server_->Start("127.0.0.1", 0, 2);
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
  }
  void TearDown() override {
    if (!release_.HasBeenNotified()) release_.Notify();
    server_->Stop();
    absl::MutexLock lock(&mutex_);
    for (auto& thread : answerers_) thread.join();
  }

  void Handle(httplib::Request request, HttpRespond respond) {
    if (request.target == "/hello") return respond(Text("hello world"));
    if (request.target == "/unset") {  // no status set, as cpp-httplib's handlers may leave it
      httplib::Response response;
      response.set_content("unset", "text/plain");
      return respond(std::move(response));
    }
    if (request.target == "/echo") return respond(Text("got " + request.body));
    if (request.target == "/large") return respond(Text(std::string(4 << 20, 'x') + "end"));
    // Answered from another thread once released: the loop serves others meanwhile.
    absl::MutexLock lock(&mutex_);
    if (request.target == "/later") {
      if (!later_asked_.HasBeenNotified()) later_asked_.Notify();
      answerers_.emplace_back([this, respond] {
        release_.WaitForNotification();
        respond(Text("later"));
      });
      return;
    }
    if (request.target == "/stream") {
      answerers_.emplace_back([this, respond] {
        httplib::Response stream;
        stream.set_chunked_content_provider(
            "text/event-stream", [this, chunk = 0](size_t, httplib::DataSink& sink) mutable {
              if (++chunk == 1) return sink.write("first", 5);
              release_.WaitForNotification();
              sink.write("second", 6);
              sink.done();
              return true;
            });
        respond(std::move(stream));
      });
      return;
    }
    httplib::Response missing = Text("no");
    missing.status = 404;
    respond(std::move(missing));
  }

  std::unique_ptr<EventLoopHttpServer> server_;
  int port_ = 0;
  absl::Notification release_;
  absl::Notification later_asked_;
  absl::Mutex mutex_;
  std::vector<std::thread> answerers_ ABSL_GUARDED_BY(mutex_);  // joined after Stop
};

}  // namespace compliance
