// The headers most of the server library's files include, directly or through its own
// headers, parsed once per build (target_precompile_headers) instead of once per file: parsing
// them was about a third of each file's compile time. Files still include what they use; this
// only makes those includes cheap.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "compliance/v1/webhook.grpc.pb.h"
