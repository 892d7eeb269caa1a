#include "http/http_request.h"

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "http/json_fields.h"

namespace compliance {
namespace {

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

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
  return ParseJsonInto(body, *target, route.body == "*" ? "" : route.body);
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
    auto status = SetQueryParameter(route, key, values, parts.bindings, request);
    if (!status.ok()) return status;
  }
  InferUpdateMask(route, parts.body, request);
  return ApplyIfMatch(route, parts.if_match, request);
}

}  // namespace compliance
