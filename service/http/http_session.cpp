#include "http/http_session.h"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <type_traits>
#include <utility>

#include "http/answer_head.h"

namespace compliance {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// A request's head: the request line and every header, an OIDC token's included.
constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr size_t kIdleBufferBytes = 16 * 1024;
// After refusing a request, what of its body is read and dropped (for at most the read
// timeout) so that closing does not reset the connection before the client has the answer.
constexpr size_t kLingerBytes = 16u << 20;

bool IsHttpError(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_method).category();
}

}  // namespace

template <class Stream>
HttpSession<Stream>::~HttpSession() {
  GiveBodyRoomBack();
  absl::MutexLock lock(&shared_.mutex);
  shared_.live.erase(this);
}

template <class Stream>
void HttpSession<Stream>::Start() {
  asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    if constexpr (std::is_same_v<Stream, HttpsStream>) {
      self->SetDeadline(self->shared_.limits.read);
      self->reading_ = true;  // no request yet: a stopping server closes it
      self->stream_.async_handshake(asio::ssl::stream_base::server,
                                    [self](beast::error_code error) {
                                      self->reading_ = false;
                                      if (error) return self->Shutdown();
                                      self->ReadHeader();
                                    });
    } else {
      self->ReadHeader();
    }
  });
}

template <class Stream>
void HttpSession<Stream>::CloseIfIdle() {
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
    if (self->reading_) self->Shutdown();
  });
}

template <class Stream>
void HttpSession<Stream>::CloseIfLate(Clock::time_point now) {
  const Clock::rep deadline = deadline_.load(std::memory_order_relaxed);
  if (deadline == 0 || now.time_since_epoch().count() < deadline) return;
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
    const Clock::rep deadline = self->deadline_.load(std::memory_order_relaxed);
    if (deadline != 0 && Clock::now().time_since_epoch().count() >= deadline) self->Shutdown();
  });
}

template <class Stream>
void HttpSession<Stream>::SetDeadline(absl::Duration limit) {
  deadline_.store((Clock::now() + absl::ToChronoNanoseconds(limit)).time_since_epoch().count(),
                  std::memory_order_relaxed);
}

template <class Stream>
void HttpSession<Stream>::ClearDeadline() {
  deadline_.store(0, std::memory_order_relaxed);
}

template <class Stream>
void HttpSession<Stream>::ReadHeader() {
  if (shared_.stopping) return Shutdown();
  reading_ = true;
  // An idle connection keeps no more buffer than a usual request needs.
  if (buffer_.size() == 0 && buffer_.capacity() > kIdleBufferBytes) buffer_.shrink_to_fit();
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(shared_.limits.max_body_bytes);
  SetDeadline(shared_.limits.keep_alive);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](beast::error_code error, size_t) {
                            self->OnHeader(error);
                          });
}

template <class Stream>
void HttpSession<Stream>::OnHeader(beast::error_code error) {
  reading_ = false;
  if (error) return OnReadFailed(error);
  if (parser_->is_done()) return Dispatch();
  if (!TakeBodyRoom()) return Refuse(503);
  SetDeadline(shared_.limits.read);
  // A client that asks first (curl does for larger bodies) waits for this before sending.
  if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(kContinue),
                      [self = this->shared_from_this()](beast::error_code error, size_t) {
                        if (error) return self->Shutdown();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

// Room for the body the header announces (or the most a chunked one may be), so that many
// clients sending large bodies at once cannot make the server hold more than the limit.
template <class Stream>
bool HttpSession<Stream>::TakeBodyRoom() {
  const auto length = parser_->content_length();
  const auto bytes = static_cast<int64_t>(length ? *length : shared_.limits.max_body_bytes);
  if (shared_.bodies_room.fetch_sub(bytes) < bytes) {
    shared_.bodies_room.fetch_add(bytes);
    return false;
  }
  body_room_ = bytes;
  return true;
}

template <class Stream>
void HttpSession<Stream>::GiveBodyRoomBack() {
  shared_.bodies_room.fetch_add(body_room_);
  body_room_ = 0;
}

template <class Stream>
void HttpSession<Stream>::ReadBody() {
  http::async_read(stream_, buffer_, *parser_,
                   [self = this->shared_from_this()](beast::error_code error, size_t) {
                     if (error) return self->OnReadFailed(error);
                     self->Dispatch();
                   });
}

template <class Stream>
void HttpSession<Stream>::OnReadFailed(beast::error_code error) {
  if (error == http::error::body_limit) return Refuse(413);
  if (error == http::error::header_limit) return Refuse(431);
  // The client left, went quiet, or the server stops: nothing to answer.
  if (error == http::error::end_of_stream || error == http::error::partial_message ||
      !IsHttpError(error)) {
    return Shutdown();
  }
  Refuse(400);
}

template <class Stream>
void HttpSession<Stream>::Dispatch() {
  ClearDeadline();  // the call has a deadline of its own
  auto& message = parser_->get();
  httplib::Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.version = message.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  for (const auto& field : message) {
    request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  keep_alive_ = message.keep_alive();
  head_ = message.method() == http::verb::head;
  version_ = message.version();
  GiveBodyRoomBack();  // received: the room bounds bodies on their way in
  try {
    shared_.handler(std::move(request),
                    [self = this->shared_from_this()](httplib::Response answer) {
                      self->OnAnswer(std::move(answer));
                    });
  } catch (const std::exception&) {
    httplib::Response failed;
    failed.status = 500;
    OnAnswer(std::move(failed));
  }
}

template <class Stream>
void HttpSession<Stream>::OnAnswer(httplib::Response answer) {
  if (answer.is_chunked_content_provider_) return ServeStream(std::move(answer));
  asio::dispatch(stream_.get_executor(),
                 [self = this->shared_from_this(), answer = std::move(answer)]() mutable {
                   self->Write(std::move(answer));
                 });
}

template <class Stream>
void HttpSession<Stream>::Write(httplib::Response answer) {
  // As cpp-httplib: an answer that set no status is 200.
  const int status = answer.status < 0 ? 200 : answer.status;
  AnswerFraming framing{.content_length = std::nullopt,
                        .keep_alive = keep_alive_ && !shared_.stopping,
                        .idle_seconds = absl::ToInt64Seconds(shared_.limits.keep_alive)};
  // 1xx, 204 and 304 answers have no body; a HEAD answer tells the length of the one a GET
  // would have had.
  if (status >= 200 && status != 204 && status != 304) {
    framing.content_length = answer.body.size();
    if (!head_) body_ = std::move(answer.body);
  }
  head_text_ = AnswerHead(status, version_, answer.headers, framing);
  SetDeadline(shared_.limits.write);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_text_), asio::buffer(body_)};
  asio::async_write(stream_, buffers,
                    [self = this->shared_from_this(), keep = framing.keep_alive](
                        beast::error_code error, size_t) {
                      std::string().swap(self->body_);  // a large answer's memory goes with it
                      if (error) return self->Shutdown();
                      if (self->lingering_) return self->Linger();
                      if (!keep) return self->Shutdown();
                      self->ReadHeader();
                    });
}

template <class Stream>
void HttpSession<Stream>::Refuse(int http_status) {
  keep_alive_ = false;
  head_ = false;
  lingering_ = true;
  httplib::Response refusal;
  refusal.status = http_status;
  refusal.set_content(ProtocolErrorJson(http_status), "application/json");
  Write(std::move(refusal));
}

template <class Stream>
void HttpSession<Stream>::Shutdown() {
  ClearDeadline();
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(stream_);
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

template <class Stream>
void HttpSession<Stream>::Linger() {
  beast::error_code ignored;
  beast::get_lowest_layer(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  SetDeadline(shared_.limits.read);  // for the whole drain, however fast the client sends
  Drain(kLingerBytes);
}

template <class Stream>
void HttpSession<Stream>::Drain(size_t left) {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(64 * 1024), [self = this->shared_from_this(), left](
                                                          beast::error_code error, size_t read) {
    if (error || read >= left) return self->Shutdown();
    self->Drain(left - read);
  });
}

template class HttpSession<HttpSocket>;
template class HttpSession<HttpsStream>;

}  // namespace compliance
