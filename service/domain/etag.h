#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// Optimistic concurrency as the API defines it: the request's `etag` is checked; when it is
/// empty the one inside the resource is; when both are empty the change is unconditional.
/// A mismatch is ABORTED, telling the client to re-read and retry.
inline absl::Status CheckEtag(absl::string_view request_etag, absl::string_view resource_etag,
                              absl::string_view current_etag) {
  const absl::string_view expected = request_etag.empty() ? resource_etag : request_etag;
  if (expected.empty() || expected == current_etag) return absl::OkStatus();
  return absl::AbortedError("etag: the resource has changed since it was read; re-read and retry");
}

}  // namespace compliance
