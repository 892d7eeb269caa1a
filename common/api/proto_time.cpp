#include "api/proto_time.h"

#include <google/protobuf/util/time_util.h>

#include "domain/errors.h"

namespace compliance {

using google::protobuf::util::TimeUtil;

absl::StatusOr<absl::Time> FromProto(absl::string_view field,
                                     const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() < TimeUtil::kTimestampMinSeconds ||
      timestamp.seconds() > TimeUtil::kTimestampMaxSeconds || timestamp.nanos() < 0 ||
      timestamp.nanos() > 999999999) {
    return FieldError(field, "is not a valid timestamp (years 0001–9999)");
  }
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::StatusOr<absl::Duration> FromProto(absl::string_view field,
                                         const google::protobuf::Duration& duration) {
  const bool mixed_signs = (duration.seconds() > 0 && duration.nanos() < 0) ||
                           (duration.seconds() < 0 && duration.nanos() > 0);
  if (duration.seconds() < TimeUtil::kDurationMinSeconds ||
      duration.seconds() > TimeUtil::kDurationMaxSeconds || duration.nanos() < -999999999 ||
      duration.nanos() > 999999999 || mixed_signs) {
    return FieldError(field, "is not a valid duration");
  }
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

void ToProto(absl::Time time, google::protobuf::Timestamp* out) {
  const timespec ts = absl::ToTimespec(time);
  out->set_seconds(ts.tv_sec);
  out->set_nanos(static_cast<int32_t>(ts.tv_nsec));
}

void ToProto(absl::Duration duration, google::protobuf::Duration* out) {
  const int64_t seconds = absl::IDivDuration(duration, absl::Seconds(1), &duration);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(duration)));
}

absl::StatusOr<absl::Time> StoredTimeFromProto(absl::string_view field,
                                               const google::protobuf::Timestamp& timestamp) {
  auto time = FromProto(field, timestamp);
  if (!time.ok()) return time.status();
  return absl::FromUnixMicros(absl::ToUnixMicros(*time));
}

}  // namespace compliance
