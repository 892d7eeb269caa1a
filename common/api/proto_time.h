#pragma once

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance {

/// Converts a valid Timestamp; an out-of-range one is INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::Time> FromProto(absl::string_view field,
                                     const google::protobuf::Timestamp& timestamp);

/// Converts a valid Duration; an out-of-range one is INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::Duration> FromProto(absl::string_view field,
                                         const google::protobuf::Duration& duration);

/// FromProto at PostgreSQL's microsecond resolution: a client's time as it is stored, so that
/// a record reads back exactly as it hashes.
absl::StatusOr<absl::Time> StoredTimeFromProto(absl::string_view field,
                                               const google::protobuf::Timestamp& timestamp);

void ToProto(absl::Time time, google::protobuf::Timestamp* out);
void ToProto(absl::Duration duration, google::protobuf::Duration* out);

}  // namespace compliance
