#include "http/plain_http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"

namespace compliance {
namespace {

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

constexpr char kGet[] = "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n";

class PlainHttpServerTest : public testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/hello", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("hello world", "text/plain");
    });
    server_.Get("/large", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(std::string(4 << 20, 'x') + "end", "text/plain");
    });
    server_.Get("/stream", [this](const httplib::Request&, httplib::Response& response) {
      response.set_chunked_content_provider(
          "text/event-stream", [this, chunk = 0](size_t, httplib::DataSink& sink) mutable {
            if (++chunk == 1) return sink.write("first", 5);
            release_.WaitForNotification();
            sink.write("second", 6);
            sink.done();
            return true;
          });
    });
    server_.set_keep_alive_timeout(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  void TearDown() override {
    if (!release_.HasBeenNotified()) release_.Notify();
    server_.stop();
    listener_.join();
  }

  PlainHttpServer server_;
  int port_ = 0;
  std::thread listener_;
  absl::Notification release_;
};

TEST_F(PlainHttpServerTest, AnswersPipelinedRequestsOnOneConnection) {
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  client.Send(std::string(kGet) + kGet + kGet);
  const std::string got = client.ReadUntilContains("hello world", 3);
  EXPECT_EQ(RawClient::Count(got, "HTTP/1.1 200 OK\r\n"), 3) << got;
  EXPECT_EQ(RawClient::Count(got, "hello world"), 3) << got;
}

TEST_F(PlainHttpServerTest, AnswersAHeadRequestWithItsHeadAlone) {
  RawClient client(port_);
  client.Send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n");
  const std::string got = client.ReadUntilContains("\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(got, "HTTP/1.1 200 OK\r\n")) << got;
  EXPECT_TRUE(absl::StrContains(got, "Content-Length: 11\r\n")) << got;
  // The connection stays usable: the held head was sent, and nothing after it.
  client.Send(kGet);
  EXPECT_TRUE(absl::EndsWith(client.ReadUntilContains("hello world"), "hello world"));
}

TEST_F(PlainHttpServerTest, SendsALargeAnswerWhole) {
  RawClient client(port_);
  client.Send("GET /large HTTP/1.1\r\nHost: test\r\n\r\n");
  const std::string got = client.ReadUntilContains("xend");
  const std::string body = got.substr(got.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, std::string(4 << 20, 'x') + "end");
  EXPECT_TRUE(absl::StrContains(got, "Content-Length: 4194307\r\n"));
}

TEST_F(PlainHttpServerTest, StreamsChunksAsTheyAreWritten) {
  RawClient client(port_);
  client.Send("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n");
  // The head and the first chunk arrive while the handler still waits to write the second.
  const std::string first = client.ReadUntilContains("first");
  EXPECT_TRUE(absl::StrContains(first, "Transfer-Encoding: chunked\r\n")) << first;
  EXPECT_FALSE(absl::StrContains(first, "second"));
  release_.Notify();
  const std::string all = client.ReadUntilContains("\r\n0\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(all, "second")) << all;
}

TEST_F(PlainHttpServerTest, ClosesAConnectionThatStaysIdle) {
  RawClient client(port_);
  client.Send(kGet);
  client.ReadUntilContains("hello world");
  EXPECT_TRUE(client.ReadUntilClosed());  // after the one-second keep-alive timeout
}

TEST_F(PlainHttpServerTest, StoppingClosesIdleConnections) {
  server_.set_keep_alive_timeout(60);  // longer than the client waits
  RawClient client(port_);
  client.Send(kGet);
  client.ReadUntilContains("hello world");
  std::thread stopper([this] { server_.stop(); });
  EXPECT_TRUE(client.ReadUntilClosed());
  stopper.join();
}

TEST_F(PlainHttpServerTest, ClosesAfterAnswerWhenTheClientAsksTo) {
  RawClient client(port_);
  client.Send("GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(client.ReadUntilClosed());
}

}  // namespace
}  // namespace compliance
