#include "oidc/https_getter.h"

#include <arpa/inet.h>
#include <httplib.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

// Key sets are a few KiB; a larger answer is not one.
constexpr size_t kMaxDocumentSize = 1 << 20;

struct SplitUrl {
  std::string origin;  ///< scheme://host[:port]
  std::string host;    ///< without brackets or port
  std::string path;    ///< from the first '/', query included; "/" when empty
};

std::optional<SplitUrl> Split(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const size_t path_start = url.find('/', scheme_end + 3);
  SplitUrl split;
  split.origin = url.substr(0, path_start);
  split.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  std::string authority = split.origin.substr(scheme_end + 3);
  if (authority.empty() || absl::StrContains(authority, '@')) return std::nullopt;
  if (authority.front() == '[') {
    split.host = authority.substr(1, authority.find(']') - 1);
  } else {
    split.host = authority.substr(0, authority.find(':'));
  }
  return split;
}

bool IsLoopback(const std::string& host) {
  in_addr ipv4;
  return host == "localhost" || host == "::1" ||
         (inet_pton(AF_INET, host.c_str(), &ipv4) == 1 && (ntohl(ipv4.s_addr) >> 24) == 127);
}

}  // namespace

absl::Status CheckFetchUrl(const std::string& url) {
  auto split = Split(url);
  if (split && absl::StartsWith(url, "https://")) return absl::OkStatus();
  if (split && absl::StartsWith(url, "http://") && IsLoopback(split->host)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", url, "\": the identity provider must be reached over https (http only on loopback)"));
}

absl::StatusOr<std::string> HttpsGetter::Get(const std::string& url) {
  if (auto status = CheckFetchUrl(url); !status.ok()) return status;
  const SplitUrl split = *Split(url);
  httplib::Client client(split.origin);
  const auto timeout = absl::ToChronoMicroseconds(timeout_);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.enable_server_certificate_verification(true);
  std::string body;
  auto result = client.Get(split.path, {{"Accept", "application/json"}},
                           [&](const char* data, size_t length) {
                             body.append(data, length);
                             return body.size() <= kMaxDocumentSize;
                           });
  if (!result) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, ": ", httplib::to_string(result.error())));
  }
  if (result->status != 200) {
    return absl::UnavailableError(absl::StrCat("GET ", url, ": HTTP ", result->status));
  }
  return body;
}

}  // namespace compliance
