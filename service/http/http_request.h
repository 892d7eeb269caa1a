#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "http/http_routes.h"
#include "http/query_params.h"

namespace compliance {

/// What an HTTP request says, for building the request message of its route.
struct HttpRequestParts {
  const PathBindings& bindings;
  const QueryParams& query;
  absl::string_view body;      ///< JSON
  absl::string_view if_match;  ///< the If-Match header; empty when absent
};

/// Fills `request` (a fresh message of the route's input type) the way AIP-127 transcoding
/// does: the JSON body into the route's body field (protobuf's JSON mapping), each path
/// variable into its field, each query parameter (lowerCamelCase or proto name, dotted for
/// nested fields) into its field, and If-Match into the request's `etag`. A PATCH without an
/// `updateMask` parameter updates the fields its body names. INVALID_ARGUMENT names the
/// field or parameter at fault; a field given twice (path and body, say) is refused rather
/// than one silently winning.
absl::Status BuildHttpRequest(const HttpRoute& route, const HttpRequestParts& parts,
                              google::protobuf::Message& request);

/// An entity tag as HTTP quotes it (`"abc"`, or weak `W/"abc"`) without its quotes; `*`
/// stays `*`.
std::string UnquoteEntityTag(absl::string_view header);

}  // namespace compliance
