#pragma once

#include <google/protobuf/descriptor.h>

#include <nlohmann/json.hpp>

#include "http/openapi_schemas.h"

namespace compliance {

/// The document's `info`: what the API is and the rules of its HTTP mapping.
nlohmann::ordered_json DocumentInfo();

/// Adds the paths the gateway serves itself: `/healthz` and `/openapi.json`.
void AddServiceEndpoints(nlohmann::ordered_json& paths);

/// `components`: the schemas, the bearer token scheme, and the error response.
nlohmann::ordered_json Components(const SchemaSet& schemas,
                                  const google::protobuf::Descriptor& error_type);

}  // namespace compliance
