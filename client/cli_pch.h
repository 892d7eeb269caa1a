// The headers most of compliancectl's files include, directly or through its own headers,
// parsed once per build (target_precompile_headers) instead of once per file: CLI11, gRPC and
// the generated contract were about a third of each file's compile time. Files still include
// what they use; this only makes those includes cheap.
#pragma once

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "compliance/v1/webhook.grpc.pb.h"
