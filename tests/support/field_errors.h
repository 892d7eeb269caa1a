#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace compliance::testing {

/// The field the error's google.rpc.BadRequest detail names ("" without one).
inline std::string BadRequestField(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return "";
  }
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() == 1) {
      return bad_request.field_violations(0).field();
    }
  }
  return "";
}

/// The API's promise for an error about a field: the code, a message that starts with the
/// field's path, and a BadRequest detail naming the same field.
inline void ExpectField(const grpc::Status& status, grpc::StatusCode code,
                        const std::string& field) {
  EXPECT_EQ(status.error_code(), code) << status.error_message();
  EXPECT_EQ(status.error_message().rfind(field + ": ", 0), 0u) << status.error_message();
  EXPECT_EQ(BadRequestField(status), field) << status.error_message();
}

/// ExpectField for INVALID_ARGUMENT.
inline void ExpectFieldError(const grpc::Status& status, const std::string& field) {
  ExpectField(status, grpc::StatusCode::INVALID_ARGUMENT, field);
}

}  // namespace compliance::testing
