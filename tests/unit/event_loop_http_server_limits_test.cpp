// The EventLoopHttpServer's limits: bodies, idle and late connections, stopping, keep-alive.

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "event_loop_http_server_fixture.h"

namespace compliance {
namespace {

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
