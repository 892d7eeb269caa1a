#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace compliance {

/// Fetches documents over HTTP(S); an interface so that the key cache is tested at exact
/// instants without a network.
class HttpGetter {
 public:
  virtual ~HttpGetter() = default;
  /// The body of a 200 answer to GET `url`; UNAVAILABLE saying why otherwise.
  virtual absl::StatusOr<std::string> Get(const std::string& url) = 0;
};

/// OK for an https URL, or an http one whose host is loopback (tests, a local proxy);
/// INVALID_ARGUMENT otherwise. Keys fetched in clear from elsewhere could be anyone's.
absl::Status CheckFetchUrl(const std::string& url);

/// GET with cpp-httplib: TLS verified against the system's CAs and the URL's host name,
/// bounded in time and size, no redirects.
class HttpsGetter final : public HttpGetter {
 public:
  explicit HttpsGetter(absl::Duration timeout = absl::Seconds(5)) : timeout_(timeout) {}
  absl::StatusOr<std::string> Get(const std::string& url) override;

 private:
  const absl::Duration timeout_;
};

}  // namespace compliance
