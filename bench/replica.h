#pragma once

#include "report.h"
#include "scenarios.h"

namespace compliance::bench {

/// How soon a second replica of the server (started here, on the same database) answers with
/// a change made through the first: UpdateRequirement on one, GetRequirement on the other until
/// it shows the new value. Each replica caches requirement answers and learns of another's
/// commits from the sealer's audit_sealed notification, so this is the path's whole lag.
Row ReplicaVisibilityRow(const Target& target);

}  // namespace compliance::bench
