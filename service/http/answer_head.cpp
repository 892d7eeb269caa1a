#include "http/answer_head.h"

#include <boost/beast/http/status.hpp>

#include "absl/strings/str_cat.h"

namespace compliance {

std::string AnswerHead(int status, unsigned version, const httplib::Headers& headers,
                       const AnswerFraming& framing) {
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  std::string head = absl::StrCat(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ", status, " ",
                                  absl::string_view(reason.data(), reason.size()), "\r\n");
  for (const auto& [name, value] : headers) absl::StrAppend(&head, name, ": ", value, "\r\n");
  if (framing.chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else if (framing.content_length) {
    absl::StrAppend(&head, "Content-Length: ", *framing.content_length, "\r\n");
  }
  // HTTP/1.1 keeps a connection unless told otherwise, HTTP/1.0 closes it unless told.
  if (!framing.keep_alive && version != 10) head += "Connection: close\r\n";
  if (framing.keep_alive && version == 10) head += "Connection: keep-alive\r\n";
  if (framing.keep_alive && framing.idle_seconds > 0) {
    absl::StrAppend(&head, "Keep-Alive: timeout=", framing.idle_seconds, "\r\n");
  }
  head += "\r\n";
  return head;
}

}  // namespace compliance
