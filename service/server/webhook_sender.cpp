#include "server/webhook_sender.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

constexpr size_t kMaxAnswerBody = 64 * 1024;

// "https://host:port/path?query" → ("https://host:port", "/path?query").
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  const size_t authority = url.find("://") + 3;
  const size_t path = url.find_first_of("/?#", authority);
  if (path == std::string::npos) return {url, "/"};
  std::string rest = url.substr(path);
  if (rest[0] != '/') rest.insert(0, "/");
  if (const size_t fragment = rest.find('#'); fragment != std::string::npos) rest.resize(fragment);
  return {url.substr(0, path), rest};
}

std::string NoAnswer(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "no connection (refused, unreachable or timed out)";
    case httplib::Error::Read:
      return "no answer (timed out or closed while reading)";
    case httplib::Error::Write:
      return "closed while sending";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "the receiver's certificate did not verify";
    default:
      return absl::StrCat("no answer (", httplib::to_string(error), ")");
  }
}

}  // namespace

WebhookSender::WebhookSender(const std::string& url, const SenderOptions& options) {
  auto [origin, path] = SplitUrl(url);
  path_ = std::move(path);
  client_ = std::make_unique<httplib::Client>(origin);
  const auto seconds = absl::ToInt64Seconds(options.timeout);
  const auto micros = absl::ToInt64Microseconds(options.timeout - absl::Seconds(seconds));
  client_->set_connection_timeout(seconds, micros);
  client_->set_read_timeout(seconds, micros);
  client_->set_write_timeout(seconds, micros);
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);  // headers and body go in two writes: no Nagle wait between
  client_->set_follow_location(false);
  client_->enable_server_certificate_verification(true);
  if (!options.ca_file.empty()) client_->set_ca_cert_path(options.ca_file);
}

WebhookSender::~WebhookSender() = default;

AttemptOutcome WebhookSender::Post(const WebhookHeaders& headers, const std::string& body,
                                   absl::Time now) {
  httplib::Request request;
  request.method = "POST";
  request.path = path_;
  request.headers = {{"webhook-id", headers.id},
                     {"webhook-timestamp", headers.timestamp},
                     {"webhook-signature", headers.signature},
                     {"Content-Type", "application/json"},
                     {"User-Agent", "compliance-status-webhooks"}};
  request.body = body;
  size_t answer_bytes = 0;
  request.content_receiver = [&](const char*, size_t length, uint64_t, uint64_t) {
    answer_bytes += length;
    return answer_bytes <= kMaxAnswerBody;
  };
  AttemptOutcome outcome;
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  // A long answer is cut off (Canceled) after its status line, which still counts.
  if (!client_->send(request, response, error) &&
      !(error == httplib::Error::Canceled && response.status > 0)) {
    outcome.error = NoAnswer(error);
    return outcome;
  }
  outcome.delivered = response.status >= 200 && response.status < 300;
  if (!outcome.delivered) {
    outcome.error = absl::StrCat("HTTP ", response.status);
    if (response.has_header("Retry-After")) {
      outcome.retry_after = ParseRetryAfter(response.get_header_value("Retry-After"), now);
    }
  }
  return outcome;
}

}  // namespace compliance
