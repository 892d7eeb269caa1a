#include "http/json_fields.h"

#include <google/protobuf/util/json_util.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

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

}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// A field by its proto name or its JSON (lowerCamelCase) name.
const FieldDescriptor* FieldNamed(const Descriptor& message, absl::string_view name) {
  if (const FieldDescriptor* field = message.FindFieldByName(std::string(name))) return field;
  for (int i = 0; i < message.field_count(); ++i) {
    if (message.field(i)->json_name() == name) return message.field(i);
  }
  return nullptr;
}

absl::Status ParseJsonInto(absl::string_view json, google::protobuf::Message& message,
                           absl::string_view prefix) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (parsed.ok()) return absl::OkStatus();
  return JsonError(prefix, parsed.message().ToString());
}

}  // namespace compliance
