#include "domain/errors.h"

#include <gtest/gtest.h>

#include "api/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace compliance {
namespace {

TEST(SplitFieldError, FindsThePathAnErrorStartsWith) {
  auto split =
      SplitFieldError("requests[2].evidence.requirements[0]: requirement x does not exist");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->field, "requests[2].evidence.requirements[0]");
  EXPECT_EQ(split->problem, "requirement x does not exist");
  EXPECT_EQ(SplitFieldError("etag: the resource has changed")->field, "etag");
  EXPECT_EQ(SplitFieldError("page_token: is not valid")->field, "page_token");
  EXPECT_EQ(SplitFieldError("evidence.labels[app.kubernetes.io/name]: too long")->field,
            "evidence.labels[app.kubernetes.io/name]");
}

TEST(SplitFieldError, RefusesWhatIsNotAPath) {
  for (const char* message :
       {"evidence/1 does not exist", "concurrent write: x", "internal error; see the server log",
        "Field: capital", "requests[]: empty key", "requests[1: open bracket", "a..b: empty",
        ".a: leading dot", "a.: trailing dot", "no colon here", ""}) {
    EXPECT_FALSE(SplitFieldError(message).has_value()) << message;
  }
}

TEST(ToGrpcStatus, AnErrorAboutAFieldCarriesBadRequestNamingIt) {
  const grpc::Status status = ToGrpcStatus(FieldError("evidence.title", "is required"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "evidence.title: is required");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), 3);
  EXPECT_EQ(details.message(), "evidence.title: is required");
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "evidence.title");
  EXPECT_EQ(bad_request.field_violations(0).description(), "is required");
}

TEST(ToGrpcStatus, ServerSideErrorsCarryNoFieldDetail) {
  for (const absl::Status& error :
       {absl::UnavailableError("database: unavailable; retry later"),
        absl::InternalError("internal error; see the server log"),
        absl::DeadlineExceededError("database: the request ran out of time; retry"),
        absl::UnauthenticatedError("authorization: missing bearer token")}) {
    const grpc::Status status = ToGrpcStatus(error);
    EXPECT_EQ(static_cast<int>(status.error_code()), static_cast<int>(error.code()));
    EXPECT_EQ(status.error_message(), error.message());
    EXPECT_TRUE(status.error_details().empty()) << error;
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace compliance
