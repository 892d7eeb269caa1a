// The headers nearly every test file includes, parsed once (a precompiled header made by the
// support library and reused by every test binary built with the same flags) instead of once
// per file: they were most of each file's compile time. Test files still include what they
// use; this only makes those includes cheap.
#pragma once

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "compliance/v1/webhook.grpc.pb.h"
