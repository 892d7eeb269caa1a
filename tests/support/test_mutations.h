#pragma once

#include <string>

#include "absl/time/clock.h"
#include "app/mutation.h"
#include "domain/audit.h"

namespace compliance::testing {

/// The context of a mutation by "tester" through `method`, with thirty seconds to run.
inline MutationContext TesterContext(const std::string& method) {
  return MutationContext{method, "tester", absl::Now() + absl::Seconds(30)};
}

/// An audit renderer for tests that do not read the feed: a plain entry per change.
template <typename T>
AuditFn<T> PlainAuditor() {
  return [](const T* /*before*/, const T& /*after*/) {
    return AuditEntry{"tester", "/test", "test/resource", "", "", ""};
  };
}

}  // namespace compliance::testing
