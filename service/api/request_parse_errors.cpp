#include "api/request_parse_errors.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "domain/errors.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Set by the log handler on the thread that parsed; read and cleared by the same thread.
thread_local std::string last_utf8_field;

void LogProtobuf(google::protobuf::LogLevel level, const char* /*file*/, int /*line*/,
                 const std::string& message) {
  constexpr char kPrefix[] = "String field '";
  const size_t start = message.find(kPrefix);
  if (start != std::string::npos && message.find("invalid UTF-8") != std::string::npos) {
    const size_t begin = start + sizeof kPrefix - 1;
    last_utf8_field = message.substr(begin, message.find('\'', begin) - begin);
    return;  // answered to the client; not worth a log line per bad request
  }
  spdlog::log(level >= google::protobuf::LOGLEVEL_ERROR ? spdlog::level::err : spdlog::level::warn,
              "protobuf: {}", message);
}

// The path from `request` to the field whose full name is `full_name` ("evidence.title"),
// breadth first; empty when the request has no such field.
std::string FieldPath(const Descriptor* request, const std::string& full_name) {
  std::deque<std::pair<const Descriptor*, std::string>> queue = {{request, ""}};
  for (int visited = 0; !queue.empty() && visited < 64; ++visited) {
    const auto [message, prefix] = queue.front();
    queue.pop_front();
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      const std::string path = prefix.empty() ? field->name() : prefix + "." + field->name();
      if (field->full_name() == full_name) return path;
      if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        queue.emplace_back(field->message_type(), path);
      }
    }
  }
  return "";
}

}  // namespace

void InstallProtobufLogHandler() { google::protobuf::SetLogHandler(&LogProtobuf); }

absl::Status RequestParseError(const std::string& full_method) {
  // "/compliance.v1.RequirementService/GetRequirement" →
  // "compliance.v1.RequirementService.GetRequirement"
  const std::string method_name = absl::StrReplaceAll(full_method.substr(1), {{"/", "."}});
  const auto* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(method_name);
  const std::string field = std::exchange(last_utf8_field, "");
  if (method == nullptr) return absl::InvalidArgumentError("request: not a valid request");
  if (!field.empty()) {
    const std::string path = FieldPath(method->input_type(), field);
    if (!path.empty()) return FieldError(path, "must be valid UTF-8");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("request: not a valid ", method->input_type()->full_name()));
}

}  // namespace compliance
