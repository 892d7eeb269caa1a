#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"

namespace compliance {

/// The call's deadline, or `fallback` from now when the client set none.
absl::Time DeadlineOf(const grpc::ServerContextBase& context,
                      absl::Duration fallback = absl::Seconds(30));

}  // namespace compliance
