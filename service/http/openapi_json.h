#pragma once

#include <string>

namespace compliance {

/// The OpenAPI document of the REST/JSON API, as the build made it from the contract
/// (docs/openapi.json is a checked-in copy).
const std::string& OpenApiJson();

}  // namespace compliance
