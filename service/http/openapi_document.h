#pragma once

#include <google/protobuf/descriptor.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "http/http_routes.h"

namespace compliance {

/// The OpenAPI 3.0 document of the HTTP routes of `services`: a path per route, schemas
/// from the messages in protobuf's JSON mapping, and descriptions from the protos' comments
/// (when the descriptors carry source info). `error_type` (google.rpc.Status) is the body of
/// every failed response.
nlohmann::ordered_json OpenApiDocument(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services,
    const std::vector<HttpRoute>& routes, const google::protobuf::Descriptor& error_type);

}  // namespace compliance
