#include "http/openapi_document.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "http/openapi_parts.h"
#include "http/openapi_schemas.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using json = nlohmann::ordered_json;

// A collection's singular, for naming the path parameter of its id: `requirements/*` →
// `requirement`.
std::string Singular(const std::string& collection) {
  if (absl::EndsWith(collection, "s")) return collection.substr(0, collection.size() - 1);
  return collection;
}

// A route's path as OpenAPI writes it: each `*` of a variable becomes a parameter of its own
// (OpenAPI path parameters cannot span segments), named after the collection before it.
struct RenderedPath {
  std::string path;
  json parameters = json::array();
};

RenderedPath RenderPath(const HttpRoute& route) {
  const auto& segments = route.path.segments();
  std::vector<std::string> parts(segments.size());
  for (size_t i = 0; i < segments.size(); ++i) parts[i] = segments[i].literal;
  RenderedPath rendered;
  for (const auto& variable : route.path.variables()) {
    const FieldDescriptor* field = FieldAtPath(*route.method->input_type(), variable.field_path);
    std::vector<std::string> shape;  // the variable's own pattern, for its description
    for (size_t i = variable.first; i < variable.end; ++i) {
      if (segments[i].kind == PathTemplate::Segment::Kind::kLiteral) {
        shape.push_back(parts[i]);
        continue;
      }
      const bool after_literal =
          i > variable.first && segments[i - 1].kind == PathTemplate::Segment::Kind::kLiteral;
      const std::string name = after_literal ? Singular(parts[i - 1]) : field->json_name();
      parts[i] = absl::StrCat("{", name, "}");
      shape.push_back(parts[i]);
      const std::string comment = DescriptionOf(*field);
      rendered.parameters.push_back(
          {{"name", name},
           {"in", "path"},
           {"required", true},
           {"description", variable.end - variable.first == 1
                               ? comment
                               : absl::StrCat("A part of `", variable.field_path, "`, which is `",
                                              absl::StrJoin(shape, "/"), "` here.")},
           {"schema", {{"type", "string"}}}});
    }
  }
  rendered.path = absl::StrCat("/", absl::StrJoin(parts, "/"), route.path.verb().empty() ? "" : ":",
                               route.path.verb());
  return rendered;
}

bool BoundByPath(const HttpRoute& route, const FieldDescriptor& field) {
  for (const auto& variable : route.path.variables()) {
    if (variable.field_path == field.name()) return true;
  }
  return false;
}

// The request fields neither the path nor the body sets, as query parameters.
void AddQueryParameters(const HttpRoute& route, SchemaSet& schemas, json& parameters) {
  if (route.body == "*") return;
  const Descriptor& request = *route.method->input_type();
  for (int i = 0; i < request.field_count(); ++i) {
    const FieldDescriptor& field = *request.field(i);
    if (field.name() == route.body || BoundByPath(route, field)) continue;
    if (field.message_type() && !IsStringLikeMessage(*field.message_type())) continue;
    parameters.push_back({{"name", field.json_name()},
                          {"in", "query"},
                          {"description", DescriptionOf(field)},
                          {"schema", schemas.FieldSchema(field)}});
  }
}

void AddHeaderParameters(const HttpRoute& route, json& parameters) {
  const FieldDescriptor* etag = route.method->input_type()->FindFieldByName("etag");
  if (etag && route.verb != "GET") {
    parameters.push_back(
        {{"name", "If-Match"},
         {"in", "header"},
         {"description",
          "The etag the change expects (from an `ETag` header or a resource's `etag`); a stale "
          "one fails with 409 ABORTED. Sets the request's `etag`."},
         {"schema", {{"type", "string"}}}});
  }
  if (route.method->server_streaming()) {
    parameters.push_back(
        {{"name", "Last-Event-ID"},
         {"in", "header"},
         {"description",
          "The id of the last event received: the stream resumes after it (EventSource sends "
          "it when it reconnects). Overrides `afterSequence`."},
         {"schema", {{"type", "string"}}}});
  }
}

json RequestBody(const HttpRoute& route, SchemaSet& schemas) {
  const Descriptor* type =
      route.body == "*" ? route.method->input_type()
                        : route.method->input_type()->FindFieldByName(route.body)->message_type();
  schemas.Add(*type);
  return {{"required", true},
          {"content", {{"application/json", {{"schema", {{"$ref", SchemaRef(*type)}}}}}}}};
}

json SuccessResponse(const HttpRoute& route, SchemaSet& schemas) {
  if (route.method->server_streaming()) {
    return {{"description",
             absl::StrCat("Server-Sent Events: each event's `data` is a ",
                          route.method->output_type()->full_name(),
                          " as JSON and its `id` the sequence to resume after; a comment line "
                          "every 10 s while idle; `event: error` with a google.rpc.Status when "
                          "the stream fails.")},
            {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
  }
  schemas.Add(*route.method->output_type());
  json success = {
      {"description", "OK"},
      {"content",
       {{"application/json", {{"schema", {{"$ref", SchemaRef(*route.method->output_type())}}}}}}}};
  if (CarriesEtag(*route.method->output_type())) {
    success["headers"] = {
        {"ETag",
         {{"description", "The resource's etag, quoted; send it back in `If-Match`."},
          {"schema", {{"type", "string"}}}}}};
  }
  return success;
}

json Operation(const HttpRoute& route, const std::string& operation_id, SchemaSet& schemas,
               json parameters) {
  const MethodDescriptor& method = *route.method;
  const std::string description = DescriptionOf(method);
  json operation = {
      {"operationId", operation_id},
      {"summary", description.substr(0, description.find('\n'))},
      {"description", absl::StrCat(description, "\n\ngRPC: `", method.full_name(), "`.")},
      {"tags", {method.service()->name()}}};
  AddQueryParameters(route, schemas, parameters);
  AddHeaderParameters(route, parameters);
  if (!parameters.empty()) operation["parameters"] = std::move(parameters);
  if (!route.body.empty()) operation["requestBody"] = RequestBody(route, schemas);
  json responses = {{"200", SuccessResponse(route, schemas)}};
  if (route.verb == "GET" && CarriesEtag(*method.output_type())) {
    responses["304"] = {{"description", "Not modified: `If-None-Match` names the current etag."}};
  }
  responses["4XX"] = {{"$ref", "#/components/responses/Error"}};
  responses["5XX"] = {{"$ref", "#/components/responses/Error"}};
  operation["responses"] = std::move(responses);
  return operation;
}

}  // namespace

json OpenApiDocument(const std::vector<const google::protobuf::ServiceDescriptor*>& services,
                     const std::vector<HttpRoute>& routes, const Descriptor& error_type) {
  SchemaSet schemas;
  json paths = json::object();
  std::map<std::string, int> bindings_seen;
  for (const HttpRoute& route : routes) {
    const int binding = ++bindings_seen[route.method->full_name()];
    const std::string operation_id =
        binding == 1 ? route.method->name() : absl::StrCat(route.method->name(), binding);
    RenderedPath rendered = RenderPath(route);
    paths[rendered.path][absl::AsciiStrToLower(route.verb)] =
        Operation(route, operation_id, schemas, std::move(rendered.parameters));
  }
  AddServiceEndpoints(paths);
  schemas.Add(error_type);
  json tags = json::array();
  for (const auto* service : services) {
    tags.push_back({{"name", service->name()}, {"description", DescriptionOf(*service)}});
  }
  tags.push_back({{"name", "Server"}, {"description", "Health and this document."}});
  return {
      {"openapi", "3.0.3"},
      {"info", DocumentInfo()},
      {"servers",
       {{{"url", "http://127.0.0.1:8080"}, {"description", "The server's default --http-listen"}}}},
      {"security", {{{"bearerAuth", json::array()}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components", Components(schemas, error_type)}};
}

}  // namespace compliance
