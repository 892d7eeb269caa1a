#include "api/deadline.h"

#include <algorithm>

namespace compliance {

absl::Time DeadlineOf(const grpc::ServerContextBase& context, absl::Duration fallback) {
  const absl::Time fallback_deadline = absl::Now() + fallback;
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return fallback_deadline;
  return std::min(absl::FromChrono(deadline), fallback_deadline);
}

}  // namespace compliance
