// The EventLoopHttpServer's answers: in order, whole, streamed, and while others wait
// (its limits: event_loop_http_server_limits_test.cpp).

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "event_loop_http_server_fixture.h"

namespace compliance {
namespace {

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

}  // namespace
}  // namespace compliance
