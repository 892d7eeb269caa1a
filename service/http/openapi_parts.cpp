#include "http/openapi_parts.h"

namespace compliance {

using json = nlohmann::ordered_json;

json DocumentInfo() {
  return {
      {"title", "compliance-status"},
      {"version", "v1"},
      {"description",
       "Where an organisation stands on ISO/IEC 27001:2022 clause 5.1 \"Leadership and "
       "commitment\": requirements, evidence, leadership actions, readiness and the "
       "tamper-evident audit log.\n\n"
       "The same API as gRPC (`compliance.v1`), transcoded by the services' `google.api.http` "
       "rules: bodies and responses in protobuf's JSON mapping (lowerCamelCase names, 64-bit "
       "integers as strings, enums by name, times as RFC 3339); other request fields as query "
       "parameters. Calls meet the same authentication, validation, idempotency and audit as "
       "over gRPC.\n\n"
       "- Every call but `/healthz` and `/openapi.json` needs `Authorization: Bearer <token>`.\n"
       "- Resources with an `etag` come with an `ETag` header; `If-Match` makes a change "
       "conditional (a stale one is 409 ABORTED) and `If-None-Match` a read (304).\n"
       "- A PATCH without `updateMask` updates the fields its body names.\n"
       "- Errors are google.rpc.Status JSON with the HTTP status of their code (AIP-193).\n"
       "- `/v1/auditEvents:watch` is the change feed as Server-Sent Events."}};
}

void AddServiceEndpoints(json& paths) {
  const json health_schema = {
      {"type", "object"},
      {"properties",
       {{"status",
         {{"type", "string"},
          {"enum", {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"}}}}}}};
  const json health_body = {{"application/json", {{"schema", health_schema}}}};
  paths["/healthz"]["get"] = {
      {"operationId", "Health"},
      {"summary", "Whether the server serves: 200 SERVING, 503 otherwise."},
      {"description",
       "The gRPC health of the whole server: NOT_SERVING while PostgreSQL is unreachable or "
       "the server drains. For load balancers and probes; needs no token."},
      {"tags", {"Server"}},
      {"security", json::array()},
      {"responses",
       {{"200", {{"description", "Serving."}, {"content", health_body}}},
        {"503", {{"description", "Not serving."}, {"content", health_body}}},
        {"4XX", {{"$ref", "#/components/responses/Error"}}},
        {"5XX", {{"$ref", "#/components/responses/Error"}}}}}};
  paths["/openapi.json"]["get"] = {
      {"operationId", "GetOpenApiDocument"},
      {"summary", "This document."},
      {"description", "The OpenAPI document of this API; needs no token."},
      {"tags", {"Server"}},
      {"security", json::array()},
      {"responses",
       {{"200",
         {{"description", "The document."},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
        {"4XX", {{"$ref", "#/components/responses/Error"}}}}}};
}

json Components(const SchemaSet& schemas, const google::protobuf::Descriptor& error_type) {
  return {
      {"securitySchemes",
       {{"bearerAuth",
         {{"type", "http"},
          {"scheme", "bearer"},
          {"description", "A token made with `compliance-server token create`."}}}}},
      {"responses",
       {{"Error",
         {{"description",
           "The call failed. `code` is the gRPC code (google.rpc.Code), `message` starts with "
           "the field at fault, and an error about a field carries a google.rpc.BadRequest "
           "(`@type` `type.googleapis.com/google.rpc.BadRequest`) in `details` naming it in "
           "`fieldViolations`."},
          {"content", {{"application/json", {{"schema", {{"$ref", SchemaRef(error_type)}}}}}}}}}}},
      {"schemas", schemas.All()}};
}

}  // namespace compliance
