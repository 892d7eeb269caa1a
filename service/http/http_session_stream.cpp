// HttpSession's streamed answers (the change feed over REST): written from the thread that
// produces them, chunk by chunk, each write handed to the session's event loop.
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "http/answer_head.h"
#include "http/http_session.h"

namespace compliance {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

}  // namespace

// Runs on the thread that handed the stream over; each write goes through the event loop
// while this thread waits for it.
template <class Stream>
bool HttpSession<Stream>::WriteFromOtherThread(const std::string& bytes) {
  // Shared with the completion, which may still be inside set_value when get() returns.
  auto written = std::make_shared<std::promise<bool>>();
  std::future<bool> result = written->get_future();
  asio::post(stream_.get_executor(), [this, &bytes, written] {
    SetDeadline(shared_.limits.write);
    asio::async_write(stream_, asio::buffer(bytes),
                      [this, written](beast::error_code error, size_t) {
                        ClearDeadline();
                        written->set_value(!error);
                      });
  });
  return result.get();
}

template <class Stream>
void HttpSession<Stream>::ServeStream(httplib::Response answer) {
  const int status = answer.status < 0 ? 200 : answer.status;
  bool writable = WriteFromOtherThread(
      AnswerHead(status, version_, answer.headers,
                 {.content_length = std::nullopt, .chunked = true, .keep_alive = false}));
  bool done = head_;
  size_t offset = 0;
  httplib::DataSink sink;
  sink.write = [&](const char* data, size_t size) {
    if (!writable) return false;
    writable =
        WriteFromOtherThread(absl::StrFormat("%x\r\n%s\r\n", size, absl::string_view(data, size)));
    offset += size;
    return writable;
  };
  sink.done = [&] { done = true; };
  sink.is_writable = [&] { return writable; };
  while (writable && !done && !shared_.stopping) {
    if (!answer.content_provider_(offset, 0, sink)) break;
  }
  if (done && writable && !head_) writable = WriteFromOtherThread("0\r\n\r\n");
  answer.content_provider_success_ = done && writable;
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->Shutdown(); });
}

// HttpSession's other members are instantiated with the class, in http_session.cpp.
template bool HttpSession<HttpSocket>::WriteFromOtherThread(const std::string&);
template bool HttpSession<HttpsStream>::WriteFromOtherThread(const std::string&);
template void HttpSession<HttpSocket>::ServeStream(httplib::Response);
template void HttpSession<HttpsStream>::ServeStream(httplib::Response);

}  // namespace compliance
