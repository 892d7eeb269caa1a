#pragma once

#include <string>

#include "absl/status/status.h"

namespace compliance {

/// Routes protobuf's log through spdlog, and remembers on each thread the last string field
/// that failed to parse for invalid UTF-8 (protobuf says which only in its log), so that the
/// answer to that request can name it.
void InstallProtobufLogHandler();

/// The INVALID_ARGUMENT for a request of `full_method` whose bytes did not parse: it names the
/// field that held invalid UTF-8 when this thread's parse said so, else the message type.
absl::Status RequestParseError(const std::string& full_method);

}  // namespace compliance
