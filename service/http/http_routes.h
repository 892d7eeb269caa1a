#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "http/path_template.h"

namespace compliance {

/// One way to reach an RPC over HTTP: a method's `google.api.http` rule or one of its
/// additional bindings.
struct HttpRoute {
  std::string verb;  ///< "GET", "POST", "PATCH", "PUT" or "DELETE"
  PathTemplate path;
  std::string body;  ///< the request field the JSON body fills; "*" the whole request; ""
                     ///< none
  const google::protobuf::MethodDescriptor* method;
};

/// The routes of every method of `services` with a `google.api.http` option, in declaration
/// order; INVALID_ARGUMENT when a rule is malformed or names a field its request lacks.
absl::StatusOr<std::vector<HttpRoute>> HttpRoutesOf(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services);

/// Which route, if any, a request reaches.
struct RouteMatch {
  const HttpRoute* route = nullptr;  ///< null when none matches
  PathBindings bindings;
  bool other_verb = false;  ///< no route of this verb, but one of another verb has this path
};

/// The first route of `verb` whose template matches `path` (still percent-encoded).
RouteMatch FindRoute(const std::vector<HttpRoute>& routes, absl::string_view verb,
                     absl::string_view path);

/// The field a dotted path of proto field names (`requirement.name`) reaches from
/// `message`, following singular message fields; null when there is none.
const google::protobuf::FieldDescriptor* FieldAtPath(const google::protobuf::Descriptor& message,
                                                     absl::string_view path);

}  // namespace compliance
