#include "domain/utc_text.h"

namespace compliance {
namespace {

// Floor division: times before the epoch fall into the day and second they belong to.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// The civil date of a day count since 1970-01-01 (Howard Hinnant's days_from_civil inverse).
struct CivilDay {
  int64_t year;
  int month, day;
};
CivilDay FromDays(int64_t days) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  return {year_of_era + era * 400 + (month <= 2), month, day};
}

// Appends `value` (0 ≤ value < 10^width) with exactly `width` digits.
void AppendDigits(std::string& out, int64_t value, int width) {
  const size_t end = out.size() + width;
  out.resize(end);
  for (size_t i = end; i-- > end - width;) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void AppendUtcDateTime(std::string& out, int64_t seconds, char separator) {
  const int64_t days = FloorDiv(seconds, 86400);
  const int64_t second_of_day = seconds - days * 86400;
  const CivilDay date = FromDays(days);
  AppendDigits(out, date.year, 4);
  out += '-';
  AppendDigits(out, date.month, 2);
  out += '-';
  AppendDigits(out, date.day, 2);
  out += separator;
  AppendDigits(out, second_of_day / 3600, 2);
  out += ':';
  AppendDigits(out, second_of_day / 60 % 60, 2);
  out += ':';
  AppendDigits(out, second_of_day % 60, 2);
}

void AppendRfc3339(std::string& out, int64_t seconds, int32_t nanos) {
  AppendUtcDateTime(out, seconds, 'T');
  if (nanos != 0) {
    out += '.';
    if (nanos % 1000000 == 0) {
      AppendDigits(out, nanos / 1000000, 3);
    } else if (nanos % 1000 == 0) {
      AppendDigits(out, nanos / 1000, 6);
    } else {
      AppendDigits(out, nanos, 9);
    }
  }
  out += 'Z';
}

void AppendTimestamptz(std::string& out, absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  const int64_t seconds = FloorDiv(micros, 1000000);
  AppendUtcDateTime(out, seconds, ' ');
  out += '.';
  AppendDigits(out, micros - seconds * 1000000, 6);
  out += "+00";
}

}  // namespace compliance
