#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "http/http_routes.h"

namespace compliance {

/// A request's query parameters, percent-decoded, in their order.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// The parameters of a URL's query (`a=1&b=x+y`), decoded as forms encode them (`+` is a
/// space); INVALID_ARGUMENT for a malformed escape.
absl::StatusOr<QueryParams> ParseQuery(absl::string_view query);

/// One query parameter (every value given for `key`, a field's lowerCamelCase or proto name,
/// dotted for nested fields) merged into `request`. Refused with INVALID_ARGUMENT naming it:
/// an unknown field, a message, a field the body or the path gives, a second value of a
/// singular field, a value of the wrong type.
absl::Status SetQueryParameter(const HttpRoute& route, const std::string& key,
                               const std::vector<std::string>& values, const PathBindings& bindings,
                               google::protobuf::Message& request);

}  // namespace compliance
