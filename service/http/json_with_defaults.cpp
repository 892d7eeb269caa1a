#include "http/json_with_defaults.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/stubs/strutil.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <cmath>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/json_string.h"
#include "domain/utc_text.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void AppendString(std::string& out, const std::string& text) {
  AppendJsonString(out, JsonSpelling::kProtobuf, text);
}

void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) return out.append("\"NaN\""), void();
  if (std::isinf(value)) return out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\""), void();
  out += google::protobuf::SimpleDtoa(value);
}

// A well-known message whose JSON form is a string; false for any other message.
bool AppendWellKnown(std::string& out, const Message& message) {
  const std::string& type = message.GetDescriptor()->full_name();
  using google::protobuf::util::TimeUtil;
  if (type == "google.protobuf.Timestamp") {
    google::protobuf::Timestamp time;
    time.CopyFrom(message);
    out += '"';
    AppendRfc3339(out, time.seconds(), time.nanos());
    out += '"';
    return true;
  }
  if (type == "google.protobuf.Duration") {
    google::protobuf::Duration duration;
    duration.CopyFrom(message);
    absl::StrAppend(&out, "\"", TimeUtil::ToString(duration), "\"");
    return true;
  }
  if (type == "google.protobuf.FieldMask") {
    google::protobuf::FieldMask mask;
    mask.CopyFrom(message);
    std::string paths;
    google::protobuf::util::FieldMaskUtil::ToJsonString(mask, &paths);
    AppendString(out, paths);
    return true;
  }
  return false;
}

// False when the message holds a google.protobuf.Any, whose type only protobuf's writer
// resolves.
bool AppendMessage(std::string& out, const Message& message);

std::string MapKey(const Message& entry, const FieldDescriptor& key) {
  const Reflection& r = *entry.GetReflection();
  switch (key.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r.GetInt32(entry, &key));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r.GetUInt32(entry, &key));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r.GetInt64(entry, &key));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r.GetUInt64(entry, &key));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r.GetBool(entry, &key) ? "true" : "false";
    default:
      return r.GetString(entry, &key);
  }
}

// A singular value of `field`, or its index-th value when repeated (index >= 0).
template <typename T>
T ValueOf(const Message& message, const FieldDescriptor& field, int index,
          T (Reflection::*single)(const Message&, const FieldDescriptor*) const,
          T (Reflection::*repeated)(const Message&, const FieldDescriptor*, int) const) {
  const Reflection& r = *message.GetReflection();
  return index < 0 ? (r.*single)(message, &field) : (r.*repeated)(message, &field, index);
}

// Numbers and booleans; false for any other type.
bool AppendNumber(std::string& out, const Message& m, const FieldDescriptor& f, int i) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(&out, ValueOf(m, f, i, &Reflection::GetInt32, &Reflection::GetRepeatedInt32));
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(&out,
                      ValueOf(m, f, i, &Reflection::GetUInt32, &Reflection::GetRepeatedUInt32));
      return true;
    case FieldDescriptor::CPPTYPE_INT64:  // quoted: JavaScript numbers hold 53 bits
      absl::StrAppend(&out, "\"",
                      ValueOf(m, f, i, &Reflection::GetInt64, &Reflection::GetRepeatedInt64), "\"");
      return true;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(&out, "\"",
                      ValueOf(m, f, i, &Reflection::GetUInt64, &Reflection::GetRepeatedUInt64),
                      "\"");
      return true;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendDouble(out, ValueOf(m, f, i, &Reflection::GetDouble, &Reflection::GetRepeatedDouble));
      return true;
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const float value = ValueOf(m, f, i, &Reflection::GetFloat, &Reflection::GetRepeatedFloat);
      if (std::isfinite(value)) {
        out += google::protobuf::SimpleFtoa(value);  // as short as a float needs
      } else {
        AppendDouble(out, value);
      }
      return true;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      out +=
          ValueOf(m, f, i, &Reflection::GetBool, &Reflection::GetRepeatedBool) ? "true" : "false";
      return true;
    default:
      return false;
  }
}

// One value of `field` (the index-th of a repeated one, or -1 for a singular one); false as
// AppendMessage.
bool AppendValue(std::string& out, const Message& m, const FieldDescriptor& f, int i) {
  if (AppendNumber(out, m, f, i)) return true;
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number =
          ValueOf(m, f, i, &Reflection::GetEnumValue, &Reflection::GetRepeatedEnumValue);
      const auto* value = f.enum_type()->FindValueByNumber(number);
      if (value) {
        absl::StrAppend(&out, "\"", value->name(), "\"");
      } else {
        absl::StrAppend(&out, number);  // a value this build does not know
      }
      return true;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string text =
          ValueOf(m, f, i, &Reflection::GetString, &Reflection::GetRepeatedString);
      if (f.type() == FieldDescriptor::TYPE_BYTES) {
        absl::StrAppend(&out, "\"", absl::Base64Escape(text), "\"");
      } else {
        AppendString(out, text);
      }
      return true;
    }
    default:
      return AppendMessage(out, i < 0 ? m.GetReflection()->GetMessage(m, &f)
                                      : m.GetReflection()->GetRepeatedMessage(m, &f, i));
  }
}

bool AppendMap(std::string& out, const Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  const FieldDescriptor& key = *field.message_type()->map_key();
  const FieldDescriptor& value = *field.message_type()->map_value();
  out += '{';
  for (int i = 0; i < r.FieldSize(message, &field); ++i) {
    if (i > 0) out += ',';
    const Message& entry = r.GetRepeatedMessage(message, &field, i);
    AppendString(out, MapKey(entry, key));  // every JSON key is a string
    out += ':';
    if (!AppendValue(out, entry, value, -1)) return false;
  }
  out += '}';
  return true;
}

bool AppendMessage(std::string& out, const Message& message) {
  if (AppendWellKnown(out, message)) return true;
  const Descriptor& type = *message.GetDescriptor();
  if (type.full_name() == "google.protobuf.Any") return false;
  const Reflection& r = *message.GetReflection();
  out += '{';
  bool first = true;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const bool unset_message = !field.is_repeated() &&
                               field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                               !r.HasField(message, &field);
    if (unset_message) continue;
    if (!first) out += ',';
    first = false;
    absl::StrAppend(&out, "\"", field.json_name(), "\":");
    if (field.is_map()) {
      if (!AppendMap(out, message, field)) return false;
    } else if (field.is_repeated()) {
      out += '[';
      for (int j = 0; j < r.FieldSize(message, &field); ++j) {
        if (j > 0) out += ',';
        if (!AppendValue(out, message, field, j)) return false;
      }
      out += ']';
    } else if (!AppendValue(out, message, field, -1)) {
      return false;
    }
  }
  out += '}';
  return true;
}

}  // namespace

std::string JsonWithDefaults(const Message& message) {
  std::string out;
  out.reserve(1024);
  if (AppendMessage(out, message)) return out;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  out.clear();
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) {
    // Only an Any of a type this build does not know fails; nothing this service sends.
    return R"({"code":13,"message":"the response could not be written as JSON"})";
  }
  return out;
}

}  // namespace compliance
