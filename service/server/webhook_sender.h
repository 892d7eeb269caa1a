#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "domain/webhook_delivery.h"
#include "domain/webhook_signature.h"

namespace httplib {
class Client;
}

namespace compliance {

/// How deliveries are sent (server flags).
struct SenderOptions {
  absl::Duration timeout = absl::Seconds(10);  ///< to connect, and for each read and write
  std::string ca_file;  ///< PEM bundle that https receivers must chain to; empty: the system's
};

/// POSTs one subscription's deliveries over a kept-alive connection (cpp-httplib; OpenSSL for
/// https, certificates verified). Redirects are not followed; at most 64 KiB of an answer's
/// body is read, and thrown away.
class WebhookSender {
 public:
  WebhookSender(const std::string& url, const SenderOptions& options);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  /// Sends `body` (JSON) with the signed headers; a 2xx answer is a delivery.
  AttemptOutcome Post(const WebhookHeaders& headers, const std::string& body, absl::Time now);

 private:
  std::string path_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace compliance
