#include "http/http_request.h"

#include <google/protobuf/util/json_util.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

// A field by its proto name or its JSON (lowerCamelCase) name.
const FieldDescriptor* FieldNamed(const Descriptor& message, absl::string_view name) {
  if (const FieldDescriptor* field = message.FindFieldByName(std::string(name))) return field;
  for (int i = 0; i < message.field_count(); ++i) {
    if (message.field(i)->json_name() == name) return message.field(i);
  }
  return nullptr;
}

google::protobuf::util::JsonParseOptions StrictJson() {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return options;
}

// protobuf's JSON parse error as "field: problem" under `prefix`: its message names the field
// as "(path): problem" or "name: Cannot find field.", and a syntax error ends in a caret line.
absl::Status JsonError(absl::string_view prefix, absl::string_view message) {
  absl::string_view line = absl::StripAsciiWhitespace(message.substr(0, message.find('\n')));
  std::string field(prefix);
  const auto under = [&field](absl::string_view name) {
    if (name.empty()) return;
    field = field.empty() ? std::string(name) : absl::StrCat(field, ".", name);
  };
  if (absl::StartsWith(line, "(") && absl::StrContains(line, "): ")) {
    const size_t close = line.find("): ");
    under(line.substr(1, close - 1));
    line = line.substr(close + 3);
  } else if (absl::ConsumeSuffix(&line, ": Cannot find field.")) {
    under(line);
    line = "unknown field";
  }
  return FieldError(field.empty() ? "body" : field, line);
}

// The JSON body into the route's body field (or the whole request).
absl::Status ParseBody(const HttpRoute& route, absl::string_view body, Message& request) {
  if (route.body.empty()) {
    return Blank(body) ? absl::OkStatus() : FieldError("body", "this method takes no body");
  }
  if (Blank(body)) return absl::OkStatus();
  Message* target = &request;
  if (route.body != "*") {
    target = request.GetReflection()->MutableMessage(
        &request, request.GetDescriptor()->FindFieldByName(route.body));
  }
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), target, StrictJson());
  if (parsed.ok()) return absl::OkStatus();
  return JsonError(route.body == "*" ? "" : route.body, parsed.message().ToString());
}

// A path variable into its (string or integer) field; refused when the body set it otherwise.
absl::Status SetFromPath(const std::string& field_path, const std::string& value,
                         Message& request) {
  Message* message = &request;
  std::vector<std::string> names = absl::StrSplit(field_path, '.');
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(names[i]);
    message = message->GetReflection()->MutableMessage(message, field);
  }
  const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(names.back());
  const auto* reflection = message->GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    const std::string current = reflection->GetString(*message, field);
    if (!current.empty() && current != value) {
      return FieldError(field_path, "differs between the path and the body");
    }
    reflection->SetString(message, field, value);
    return absl::OkStatus();
  }
  int64_t number = 0;
  if (!absl::SimpleAtoi(value, &number)) return FieldError(field_path, "must be an integer");
  if (reflection->HasField(*message, field)) {
    return FieldError(field_path, "is given by the path; leave it out of the body");
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT64:
      reflection->SetInt64(message, field, number);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
      if (number != static_cast<int32_t>(number)) return FieldError(field_path, "out of range");
      reflection->SetInt32(message, field, static_cast<int32_t>(number));
      return absl::OkStatus();
    default:
      return FieldError(field_path, "cannot be given in the path");
  }
}

// Well-known messages whose JSON form is a string, and so can be a query parameter.
bool StringLikeMessage(const Descriptor& message) {
  const std::string& name = message.full_name();
  return name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

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
    if (!message || (resolved.field && StringLikeMessage(*message))) {
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
  if (message && !StringLikeMessage(*message)) {
    return FieldError(resolved.path, "is a message; give its fields one by one");
  }
  return resolved;
}

// One query key (all its values) merged into the request.
absl::Status SetFromQuery(const HttpRoute& route, const std::string& key,
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
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(json, overlay.get(), StrictJson());
  if (!parsed.ok()) return JsonError("", parsed.message().ToString());
  request.MergeFrom(*overlay);
  return absl::OkStatus();
}

// The top-level keys of a JSON object, read without building it.
class TopLevelKeys final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<std::string> keys;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return ++depth_, true; }
  bool end_object() override { return --depth_, true; }
  bool start_array(std::size_t) override { return ++depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& name) override {
    if (depth_ == 1) keys.push_back(name);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  int depth_ = 0;
};

// AIP-134: a PATCH without a mask updates the fields its body names, except the resource's
// identity (`name`, from the path) and its precondition (`etag`).
void InferUpdateMask(const HttpRoute& route, absl::string_view body, Message& request) {
  if (route.body.empty() || route.body == "*" || Blank(body)) return;
  const FieldDescriptor* mask_field = request.GetDescriptor()->FindFieldByName("update_mask");
  if (!mask_field || !mask_field->message_type() ||
      mask_field->message_type()->full_name() != "google.protobuf.FieldMask" ||
      request.GetReflection()->HasField(request, mask_field)) {
    return;
  }
  TopLevelKeys reader;
  if (!nlohmann::json::sax_parse(body.begin(), body.end(), &reader)) return;
  const Descriptor& resource =
      *request.GetDescriptor()->FindFieldByName(route.body)->message_type();
  Message* mask = request.GetReflection()->MutableMessage(&request, mask_field);
  const FieldDescriptor* paths = mask->GetDescriptor()->FindFieldByName("paths");
  for (const std::string& key : reader.keys) {
    const FieldDescriptor* field = FieldNamed(resource, key);
    if (!field || field->name() == "name" || field->name() == "etag") continue;
    mask->GetReflection()->AddString(mask, paths, field->name());
  }
}

absl::Status ApplyIfMatch(const HttpRoute& route, absl::string_view header, Message& request) {
  if (header.empty()) return absl::OkStatus();
  const std::string tag = UnquoteEntityTag(header);
  if (tag == "*") return absl::OkStatus();  // any version: an unconditional change
  const FieldDescriptor* etag = request.GetDescriptor()->FindFieldByName("etag");
  if (!etag || etag->cpp_type() != FieldDescriptor::CPPTYPE_STRING || etag->is_repeated()) {
    if (route.verb == "GET") return absl::OkStatus();
    return FieldError("If-Match", "this method takes no etag");
  }
  const std::string current = request.GetReflection()->GetString(request, etag);
  if (!current.empty() && current != tag) return FieldError("etag", "differs from If-Match");
  request.GetReflection()->SetString(&request, etag, tag);
  return absl::OkStatus();
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

std::string UnquoteEntityTag(absl::string_view header) {
  absl::string_view tag = absl::StripAsciiWhitespace(header);
  absl::ConsumePrefix(&tag, "W/");
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    tag = tag.substr(1, tag.size() - 2);
  }
  return std::string(tag);
}

absl::Status BuildHttpRequest(const HttpRoute& route, const HttpRequestParts& parts,
                              Message& request) {
  if (auto status = ParseBody(route, parts.body, request); !status.ok()) return status;
  for (const auto& [field_path, value] : parts.bindings) {
    if (auto status = SetFromPath(field_path, value, request); !status.ok()) return status;
  }
  std::map<std::string, std::vector<std::string>> grouped;
  for (const auto& [key, value] : parts.query) grouped[key].push_back(value);
  for (const auto& [key, values] : grouped) {
    auto status = SetFromQuery(route, key, values, parts.bindings, request);
    if (!status.ok()) return status;
  }
  InferUpdateMask(route, parts.body, request);
  return ApplyIfMatch(route, parts.if_match, request);
}

}  // namespace compliance
