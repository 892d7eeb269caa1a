#include "http/query_params.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "http/json_fields.h"
#include "http/openapi_schemas.h"
#include "http/path_template.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The JSON value of one query parameter's text for `field`.
absl::StatusOr<nlohmann::json> QueryValue(const FieldDescriptor& field, const std::string& path,
                                          const std::string& text) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      if (text == "true") return true;
      if (text == "false") return false;
      return FieldError(path, "must be true or false");
    case FieldDescriptor::CPPTYPE_ENUM: {
      int number = 0;
      if (absl::SimpleAtoi(text, &number)) return number;
      return text;
    }
    default:
      return text;  // numbers too: the JSON mapping reads them from strings
  }
}

// What a query key names: the proto path of the field and the field itself.
struct QueryField {
  std::string path;
  const FieldDescriptor* field = nullptr;
  std::vector<std::string> json_names;  // the JSON object path to it
};

absl::StatusOr<QueryField> ResolveQueryKey(const HttpRoute& route, const std::string& key,
                                           const PathBindings& bindings) {
  const Descriptor* message = route.method->input_type();
  QueryField resolved;
  for (absl::string_view name : absl::StrSplit(key, '.')) {
    if (!message || (resolved.field && IsStringLikeMessage(*message))) {
      return FieldError(key, "unknown query parameter");
    }
    resolved.field = FieldNamed(*message, name);
    if (!resolved.field) return FieldError(key, "unknown query parameter");
    absl::StrAppend(&resolved.path, resolved.path.empty() ? "" : ".", resolved.field->name());
    resolved.json_names.push_back(resolved.field->json_name());
    message = resolved.field->is_repeated() ? nullptr : resolved.field->message_type();
  }
  const std::string top = resolved.path.substr(0, resolved.path.find('.'));
  if (route.body == "*") return FieldError(resolved.path, "belongs in the body, not the query");
  if (top == route.body) return FieldError(resolved.path, "belongs in the body, not the query");
  for (const auto& binding : bindings) {
    if (binding.first == resolved.path) return FieldError(resolved.path, "is set by the path");
  }
  if (message && !IsStringLikeMessage(*message)) {
    return FieldError(resolved.path, "is a message; give its fields one by one");
  }
  return resolved;
}

}  // namespace

absl::StatusOr<QueryParams> ParseQuery(absl::string_view query) {
  QueryParams params;
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::vector<std::string> key_value = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    key_value.resize(2);
    for (std::string& text : key_value) absl::c_replace(text, '+', ' ');
    auto key = PercentDecode(key_value[0]);
    auto value = PercentDecode(key_value[1]);
    if (!key || !value) return FieldError("query", "a malformed %-escape");
    params.emplace_back(*std::move(key), *std::move(value));
  }
  return params;
}

absl::Status SetQueryParameter(const HttpRoute& route, const std::string& key,
                               const std::vector<std::string>& values, const PathBindings& bindings,
                               Message& request) {
  auto resolved = ResolveQueryKey(route, key, bindings);
  if (!resolved.ok()) return resolved.status();
  const FieldDescriptor& field = *resolved->field;
  if (values.size() > 1 && !field.is_repeated()) {
    return FieldError(resolved->path, "given more than once");
  }
  nlohmann::json value = field.is_repeated() ? nlohmann::json::array() : nlohmann::json();
  for (const std::string& text : values) {
    auto one = QueryValue(field, resolved->path, text);
    if (!one.ok()) return one.status();
    if (field.is_repeated()) {
      value.push_back(*std::move(one));
    } else {
      value = *std::move(one);
    }
  }
  for (auto name = resolved->json_names.rbegin(); name != resolved->json_names.rend(); ++name) {
    value = nlohmann::json{{*name, std::move(value)}};
  }
  std::string json;
  try {
    json = value.dump();
  } catch (const nlohmann::json::exception&) {
    return FieldError(resolved->path, "must be valid UTF-8");
  }
  std::unique_ptr<Message> overlay(request.New());
  if (auto parsed = ParseJsonInto(json, *overlay, ""); !parsed.ok()) return parsed;
  request.MergeFrom(*overlay);
  return absl::OkStatus();
}

}  // namespace compliance
