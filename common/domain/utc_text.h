#pragma once

// Times as text in UTC, written straight into a buffer. Evidence JSON (audit entries, REST
// answers) and COPY rows format two times per record; protobuf's TimeUtil::ToString and
// absl::FormatTime go through printf and cctz's general formatter and cost 4 % of the
// server's time on a batch of a thousand creates (bench/README.md, issue 18).

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace compliance {

/// Appends `seconds` since the Unix epoch as "YYYY-MM-DD{separator}HH:MM:SS" in UTC (proleptic
/// Gregorian calendar, years 0000-9999; what protobuf Timestamps and PostgreSQL both accept).
void AppendUtcDateTime(std::string& out, int64_t seconds, char separator);

/// Appends a Timestamp as protobuf's JSON mapping spells it (TimeUtil::ToString): RFC 3339 in
/// UTC with "Z", and 0, 3, 6 or 9 fractional digits, as few as keep every non-zero digit.
void AppendRfc3339(std::string& out, int64_t seconds, int32_t nanos);

/// Appends `time` as PostgreSQL timestamptz input that reads back the same microsecond:
/// "YYYY-MM-DD HH:MM:SS.ffffff+00", the microseconds rounded down.
void AppendTimestamptz(std::string& out, absl::Time time);

}  // namespace compliance
