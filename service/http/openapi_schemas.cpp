#include "http/openapi_schemas.h"

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using json = nlohmann::ordered_json;

// A property's schema with its description; a reference is wrapped, since OpenAPI 3.0
// ignores what stands beside a $ref.
json Described(json schema, const std::string& description) {
  if (description.empty()) return schema;
  if (schema.contains("$ref"))
    return {{"allOf", {std::move(schema)}}, {"description", description}};
  schema["description"] = description;
  return schema;
}

json ScalarSchema(const FieldDescriptor& field) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_BOOL:
      return {{"type", "boolean"}};
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_SFIXED32:
      return {{"type", "integer"}, {"format", "int32"}};
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      return {{"type", "integer"}, {"minimum", 0}};
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_SFIXED64:
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64:
      return {{"type", "string"}, {"format", "int64"}};  // the JSON mapping quotes them
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FLOAT:
      return {{"type", "number"}};
    case FieldDescriptor::TYPE_BYTES:
      return {{"type", "string"}, {"format", "byte"}};
    default:
      return {{"type", "string"}};
  }
}

}  // namespace

std::string SchemaRef(const Descriptor& message) {
  return absl::StrCat("#/components/schemas/", message.full_name());
}

bool IsStringLikeMessage(const Descriptor& message) {
  const std::string& name = message.full_name();
  return name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

bool CarriesEtag(const Descriptor& message) {
  for (int i = 0; i < message.field_count(); ++i) {
    const Descriptor* resource = message.field(i)->message_type();
    if (!message.field(i)->is_repeated() && resource && resource->FindFieldByName("etag")) {
      return true;
    }
  }
  return false;
}

json SchemaSet::MessageValue(const Descriptor& message) {
  const std::string& name = message.full_name();
  if (name == "google.protobuf.Timestamp") {
    return {{"type", "string"}, {"format", "date-time"}};
  }
  if (name == "google.protobuf.Duration") {
    return {{"type", "string"}, {"pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$"}};
  }
  if (name == "google.protobuf.FieldMask") {
    return {{"type", "string"}, {"description", "Comma-separated lowerCamelCase field paths."}};
  }
  if (name == "google.protobuf.Any") {
    return {{"type", "object"},
            {"properties", {{"@type", {{"type", "string"}}}}},
            {"required", {"@type"}},
            {"additionalProperties", true}};
  }
  Add(message);
  return {{"$ref", SchemaRef(message)}};
}

json SchemaSet::ValueSchema(const FieldDescriptor& field) {
  if (field.message_type()) return MessageValue(*field.message_type());
  if (field.enum_type()) {
    AddEnum(*field.enum_type());
    return {{"$ref", absl::StrCat("#/components/schemas/", field.enum_type()->full_name())}};
  }
  return ScalarSchema(field);
}

json SchemaSet::FieldSchema(const FieldDescriptor& field) {
  if (field.is_map()) {
    return {{"type", "object"},
            {"additionalProperties", ValueSchema(*field.message_type()->map_value())}};
  }
  if (field.is_repeated()) return {{"type", "array"}, {"items", ValueSchema(field)}};
  return ValueSchema(field);
}

void SchemaSet::Add(const Descriptor& message) {
  if (IsStringLikeMessage(message) || schemas_.count(message.full_name())) return;
  schemas_[message.full_name()] = json::object();  // a message may refer to itself
  json properties = json::object();
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    properties[field.json_name()] = Described(FieldSchema(field), DescriptionOf(field));
  }
  json schema = {{"type", "object"}};
  if (const std::string description = DescriptionOf(message); !description.empty()) {
    schema["description"] = description;
  }
  schema["properties"] = std::move(properties);
  schemas_[message.full_name()] = std::move(schema);
}

void SchemaSet::AddEnum(const google::protobuf::EnumDescriptor& enumeration) {
  if (schemas_.count(enumeration.full_name())) return;
  json names = json::array();
  std::string values;
  for (int i = 0; i < enumeration.value_count(); ++i) {
    const auto& value = *enumeration.value(i);
    names.push_back(value.name());
    absl::StrAppend(&values, "\n- `", value.name(), "`: ", DescriptionOf(value));
  }
  schemas_[enumeration.full_name()] = {
      {"type", "string"},
      {"description", absl::StrCat(DescriptionOf(enumeration), "\n", values)},
      {"enum", std::move(names)}};
}

json SchemaSet::All() const {
  json all = json::object();
  for (const auto& [name, schema] : schemas_) all[name] = schema;
  return all;
}

}  // namespace compliance
