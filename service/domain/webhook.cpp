#include "domain/webhook.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/errors.h"
#include "domain/text.h"

namespace compliance {
namespace {

constexpr size_t kMaxUrl = 2048;
constexpr size_t kMaxMethods = 32;
constexpr size_t kMaxMethod = 256;
constexpr size_t kMaxPrefix = 512;

// The host of an absolute http(s) URL after its scheme ("//" already removed): what comes
// before the path, query or fragment, without a port and without IPv6 brackets; nullopt when
// it carries user info, is empty, or has a bad port.
std::optional<std::string> UrlHost(absl::string_view rest) {
  const size_t end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, end);
  if (authority.empty() || absl::StrContains(authority, '@')) return std::nullopt;
  absl::string_view host = authority;
  absl::string_view port;
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) return std::nullopt;
    port = host.substr(close + 1);
    host = host.substr(0, close);
    if (!port.empty() && !absl::ConsumePrefix(&port, ":")) return std::nullopt;
  } else if (const size_t colon = host.rfind(':'); colon != absl::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  const bool digits = std::all_of(port.begin(), port.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
  int port_number = 0;
  if (host.empty() || !digits ||
      (!port.empty() && (port.size() > 5 || !absl::SimpleAtoi(port, &port_number) ||
                         port_number < 1 || port_number > 65535))) {
    return std::nullopt;
  }
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\') {
      return std::nullopt;
    }
  }
  return absl::AsciiStrToLower(host);
}

// localhost, ::1, or an IPv4 address in 127.0.0.0/8 (digits and dots: 127.evil.example is a
// name that may resolve anywhere).
bool IsLoopback(absl::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  return absl::StartsWith(host, "127.") && std::all_of(host.begin(), host.end(), [](char c) {
           return c == '.' || absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

absl::Status ValidateUrl(const std::string& field, const std::string& url, bool allow_insecure) {
  if (auto s = CheckText(field, url, 1, kMaxUrl); !s.ok()) return s;
  absl::string_view rest = url;
  const bool https = absl::ConsumePrefix(&rest, "https://");
  const bool http = !https && absl::ConsumePrefix(&rest, "http://");
  if (!https && !http) return FieldError(field, "must be an absolute https:// URL");
  const auto host = UrlHost(rest);
  if (!host) return FieldError(field, "must name a host (no user info) and at most a port");
  if (http && !(allow_insecure && IsLoopback(*host))) {
    return FieldError(field,
                      "must be https (http only to a loopback host, on a server started with "
                      "--allow-insecure-webhooks)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateWebhookFields(const std::string& prefix, const WebhookFields& fields,
                                   bool allow_insecure) {
  const auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  if (auto s = ValidateUrl(field("url"), fields.url, allow_insecure); !s.ok()) return s;
  if (auto s = CheckText(field("resource_prefix"), fields.filter.resource_prefix, 0, kMaxPrefix);
      !s.ok()) {
    return s;
  }
  const auto& methods = fields.filter.methods;
  if (methods.size() > kMaxMethods) {
    return FieldError(field("methods"), absl::StrCat("at most ", kMaxMethods, " entries"));
  }
  for (size_t i = 0; i < methods.size(); ++i) {
    const std::string name = absl::StrCat(field("methods"), "[", i, "]");
    if (auto s = CheckText(name, methods[i], 1, kMaxMethod); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool WebhookMatches(const WebhookFilter& filter, absl::string_view resource,
                    absl::string_view method) {
  if (!absl::StartsWith(resource, filter.resource_prefix)) return false;
  if (filter.methods.empty()) return true;
  const size_t slash = method.rfind('/');
  const absl::string_view last =
      slash == absl::string_view::npos ? method : method.substr(slash + 1);
  for (const auto& wanted : filter.methods) {
    if (wanted == method || wanted == last) return true;
  }
  return false;
}

std::string WebhookEtag(const Webhook& webhook) { return absl::StrCat("w", webhook.version); }

absl::Status RequirePaused(const Webhook& webhook) {
  if (webhook.state == WebhookState::kPaused) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("webhooks/", webhook.id, " is ACTIVE; only a PAUSED webhook can be resumed"));
}

}  // namespace compliance
