#include "http/event_loop_http_server.h"

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

httplib::Response Text(std::string text) {
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

TEST_F(EventLoopHttpServerTest, AnswersPipelinedRequestsInOrderOnOneConnection) {
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  client.Send(std::string(kGet) + "GET /missing HTTP/1.1\r\nHost: test\r\n\r\n" + kGet);
  const std::string got = client.ReadUntilContains("hello world", 2);
  EXPECT_EQ(RawClient::Count(got, "HTTP/1.1 200 OK\r\n"), 2) << got;
  const size_t missing = got.find("404 Not Found");
  EXPECT_GT(missing, got.find("hello world")) << got;
  EXPECT_LT(missing, got.rfind("hello world")) << got;
}

TEST_F(EventLoopHttpServerTest, AnAnswerWithoutAStatusIs200) {
  RawClient client(port_);
  client.Send("GET /unset HTTP/1.1\r\nHost: test\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(client.ReadUntilContains("unset"), "HTTP/1.1 200 OK\r\n"));
}

TEST_F(EventLoopHttpServerTest, AnswersAHeadRequestWithItsHeadAlone) {
  RawClient client(port_);
  client.Send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n");
  const std::string got = client.ReadUntilContains("\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(got, "HTTP/1.1 200 OK\r\n")) << got;
  EXPECT_TRUE(absl::StrContains(got, "Content-Length: 11\r\n")) << got;
  // The connection stays usable, and nothing followed the head.
  client.Send(kGet);
  const std::string both = client.ReadUntilContains("hello world");
  EXPECT_TRUE(absl::EndsWith(both, "\r\n\r\nhello world")) << both;
  EXPECT_EQ(RawClient::Count(both, "hello world"), 1) << both;
}

TEST_F(EventLoopHttpServerTest, SendsALargeAnswerWhole) {
  RawClient client(port_);
  client.Send("GET /large HTTP/1.1\r\nHost: test\r\n\r\n");
  const std::string got = client.ReadUntilContains("xend");
  const std::string body = got.substr(got.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, std::string(4 << 20, 'x') + "end");
  EXPECT_TRUE(absl::StrContains(got, "Content-Length: 4194307\r\n"));
}

TEST_F(EventLoopHttpServerTest, ReadsABodyAndAnswersAClientThatExpectsContinue) {
  RawClient client(port_);
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
      "Expect: 100-continue\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(client.ReadUntilContains("\r\n\r\n"), "HTTP/1.1 100 Continue"));
  client.Send("hello");
  EXPECT_TRUE(absl::EndsWith(client.ReadUntilContains("got hello"), "got hello"));
}

TEST_F(EventLoopHttpServerTest, ServesOthersWhileAnAnswerIsAwaited) {
  RawClient waiting(port_);
  waiting.Send("GET /later HTTP/1.1\r\nHost: test\r\n\r\n");
  // More connections than the loop has threads, each answered while /later waits.
  std::vector<std::unique_ptr<RawClient>> others;
  for (int i = 0; i < 100; ++i) {
    others.push_back(std::make_unique<RawClient>(port_));
    others.back()->Send(kGet);
  }
  for (auto& other : others) {
    EXPECT_TRUE(absl::EndsWith(other->ReadUntilContains("hello world"), "hello world"));
  }
  release_.Notify();
  EXPECT_TRUE(absl::EndsWith(waiting.ReadUntilContains("later"), "later"));
}

TEST_F(EventLoopHttpServerTest, StreamsChunksAsTheyAreWritten) {
  RawClient client(port_);
  client.Send("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n");
  // The head and the first chunk arrive while the handler still waits to write the second.
  const std::string first = client.ReadUntilContains("first");
  EXPECT_TRUE(absl::StrContains(first, "Transfer-Encoding: chunked\r\n")) << first;
  EXPECT_TRUE(absl::StrContains(first, "\r\n\r\n5\r\nfirst\r\n")) << first;
  EXPECT_FALSE(absl::StrContains(first, "second"));
  release_.Notify();
  const std::string all = client.ReadUntilContains("\r\n0\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(all, "6\r\nsecond\r\n")) << all;
  EXPECT_TRUE(client.ReadUntilClosed());
}

TEST_F(EventLoopHttpServerTest, RefusesABodyOverTheLimitUnreadWith413) {
  RawClient client(port_);
  client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5000\r\n\r\n");
  const std::string got = client.ReadUntilContains("}");
  EXPECT_TRUE(absl::StartsWith(got, "HTTP/1.1 413 Payload Too Large\r\n")) << got;
  EXPECT_TRUE(absl::StrContains(got, "\"code\":8")) << got;  // RESOURCE_EXHAUSTED
  EXPECT_TRUE(absl::StrContains(got, "Connection: close\r\n")) << got;
  // The client may still send the body: it is read and dropped, then the server closes.
  client.Send(std::string(5000, 'x'));
  EXPECT_TRUE(client.ReadUntilClosed());
}

TEST_F(EventLoopHttpServerTest, RefusesABodyWhileOthersHoldTheRoomForBodies) {
  RawClient first(port_);
  // Once told to continue, the first client's 1000 bytes have their room.
  first.Send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n"
      "Expect: 100-continue\r\n\r\n");
  first.ReadUntilContains("100 Continue");
  RawClient second(port_);
  second.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n");
  const std::string refused = second.ReadUntilContains("}");
  EXPECT_TRUE(absl::StartsWith(refused, "HTTP/1.1 503 Service Unavailable\r\n")) << refused;
  EXPECT_TRUE(absl::StrContains(refused, "\"code\":14")) << refused;  // UNAVAILABLE: retry
  first.Send(std::string(1000, 'a'));
  EXPECT_TRUE(absl::StrContains(first.ReadUntilContains("aaaa"), "HTTP/1.1 200 OK"));
  // The room came back with the first body's answer.
  RawClient third(port_);
  third.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n" +
             std::string(1000, 'b'));
  EXPECT_TRUE(absl::StrContains(third.ReadUntilContains("bbbb"), "HTTP/1.1 200 OK"));
}

TEST_F(EventLoopHttpServerTest, RefusesWhatIsNotHttpWith400) {
  RawClient client(port_);
  client.Send("GET /hello HTTP/1.1\r\nHost test\r\n\r\n");
  const std::string got = client.ReadUntilContains("}");
  EXPECT_TRUE(absl::StartsWith(got, "HTTP/1.1 400 Bad Request\r\n")) << got;
  EXPECT_TRUE(absl::StrContains(got, "not valid HTTP")) << got;
  EXPECT_TRUE(client.ReadUntilClosed());
}

TEST_F(EventLoopHttpServerTest, ClosesAConnectionThatStaysIdle) {
  RawClient client(port_);
  client.Send(kGet);
  client.ReadUntilContains("hello world");
  EXPECT_TRUE(client.ReadUntilClosed());  // within a second or two of the keep-alive limit
}

TEST_F(EventLoopHttpServerTest, ClosesARequestThatNeverEnds) {
  RawClient client(port_);
  client.Send("GET /hello HTTP/1.1\r\nHost: te");
  EXPECT_TRUE(client.ReadUntilClosed());
}

TEST_F(EventLoopHttpServerTest, StoppingClosesIdleConnectionsAndAnswersThoseInFlight) {
  RawClient idle(port_);
  idle.Send(kGet);
  idle.ReadUntilContains("hello world");
  RawClient waiting(port_);
  waiting.Send("GET /later HTTP/1.1\r\nHost: test\r\n\r\n");
  later_asked_.WaitForNotification();
  std::thread stopper([this] { server_->Stop(); });
  EXPECT_TRUE(idle.ReadUntilClosed());
  release_.Notify();
  const std::string got = waiting.ReadUntilContains("later");
  EXPECT_TRUE(absl::StrContains(got, "Connection: close\r\n")) << got;
  EXPECT_TRUE(waiting.ReadUntilClosed());
  stopper.join();
  EXPECT_FALSE(RawClient(port_).connected());
}

// Clients that pool connections (Node's fetch among them) then drop one before the server
// does, instead of sending a request on it as the server closes it.
TEST_F(EventLoopHttpServerTest, TellsHowLongAKeptConnectionMayStayIdle) {
  RawClient client(port_);
  client.Send(kGet);
  EXPECT_TRUE(
      absl::StrContains(client.ReadUntilContains("hello world"), "\r\nKeep-Alive: timeout=1\r\n"));
}

TEST_F(EventLoopHttpServerTest, ClosesAfterAnswerWhenTheClientAsksTo) {
  RawClient client(port_);
  client.Send("GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  const std::string got = client.ReadUntilContains("hello world");
  EXPECT_TRUE(absl::StrContains(got, "Connection: close")) << got;
  EXPECT_FALSE(absl::StrContains(got, "Keep-Alive")) << got;
  EXPECT_TRUE(client.ReadUntilClosed());
  RawClient old(port_);
  old.Send("GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(old.ReadUntilContains("hello world"), "HTTP/1.0 200 OK\r\n"));
  EXPECT_TRUE(old.ReadUntilClosed());
}

TEST(EventLoopHttpServer, ClosesConnectionsPastItsLimit) {
  EventLoopHttpServer server([](httplib::Request, HttpRespond respond) { respond(Text("hi")); },
                             {.max_body_bytes = 8,
                              .keep_alive = absl::Seconds(10),
                              .read = absl::Seconds(10),
                              .write = absl::Seconds(10),
                              .max_connections = 2});
  const auto port = server.Start("127.0.0.1", 0, 1);
  ASSERT_TRUE(port.ok());
  RawClient first(*port), second(*port);
  for (RawClient* client : {&first, &second}) {
    client->Send(kGet);
    EXPECT_TRUE(absl::EndsWith(client->ReadUntilContains("hi"), "hi"));
  }
  RawClient third(*port);
  third.Send(kGet);
  EXPECT_TRUE(third.ReadUntilClosed());
  EXPECT_FALSE(absl::StrContains(third.ReadUntilContains("hi"), "hi"));
}

TEST(EventLoopHttpServer, ABusyPortStopsTheStart) {
  EventLoopHttpServer first([](httplib::Request, HttpRespond respond) { respond(Text("")); },
                            {8, absl::Seconds(1), absl::Seconds(1), absl::Seconds(1)});
  const auto port = first.Start("127.0.0.1", 0, 1);
  ASSERT_TRUE(port.ok());
  EventLoopHttpServer second([](httplib::Request, HttpRespond respond) { respond(Text("")); },
                             {8, absl::Seconds(1), absl::Seconds(1), absl::Seconds(1)});
  EXPECT_EQ(second.Start("127.0.0.1", *port, 1).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace compliance
