#pragma once

#include "report.h"
#include "scenarios.h"

namespace compliance::bench {

/// Webhook delivery lag: 100 subscriptions to a loopback receiver (cpp-httplib), events
/// written at 1,000 a second, each on a resource that one subscription's prefix filter takes
/// (bench/NN/…), so every subscription is delivered at once and the dispatcher filters each
/// event for all of them. The figure is receipt time minus the event's commit time, sealing
/// included, as for the watch row. Needs a server started with --allow-insecure-webhooks.
Row WebhookLagRow(const Target& target);

}  // namespace compliance::bench
