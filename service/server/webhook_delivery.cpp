#include "server/webhook_delivery.h"

#include <spdlog/spdlog.h>

#include <random>

#include "domain/webhook.h"
#include "domain/webhook_signature.h"
#include "http/json_with_defaults.h"

namespace compliance {
namespace {

constexpr absl::Duration kStoreTimeout = absl::Seconds(10);
// How long the recorded cursor may stay behind events a filter left out (see Skip).
constexpr absl::Duration kSkipRecordEvery = absl::Seconds(1);

double Jitter() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

SubscriptionDelivery::SubscriptionDelivery(std::string id, WebhookDeliveryStore& store,
                                           WebhookEvents& events, DeliveryHost& host,
                                           const Clock& clock, const DeliveryOptions& options)
    : id_(std::move(id)),
      name_("webhooks/" + id_),
      store_(store),
      events_(events),
      host_(host),
      clock_(clock),
      options_(options) {}

absl::Time SubscriptionDelivery::Deadline() const { return absl::Now() + kStoreTimeout; }

void SubscriptionDelivery::Run() {
  lease_until_ = clock_.Now() + options_.lease;
  if (!Renew()) return;
  while (!host_.Stopping()) {
    if (clock_.Now() >= renew_due_ && !Renew()) return;
    const int64_t seen = host_.Generation();
    const auto& next = target_->next_attempt_time;
    const Step step = next && *next > clock_.Now() ? Step::kBackoff : DeliverBatch();
    if (step == Step::kStop) return;
    if (step == Step::kProgress) continue;
    absl::Time until = renew_due_;
    if (step == Step::kBackoff && next) until = std::min(until, *next);
    host_.Wait(seen, until);
  }
  if (!RecordSkipped()) return;
  if (auto s = store_.Release(id_, Deadline()); !s.ok()) {
    spdlog::warn("webhooks/{}: lease not given up ({}); it lapses by itself", id_,
                 std::string(s.message()));
  }
}

bool SubscriptionDelivery::Renew() {
  const absl::Time now = clock_.Now();
  if (!RecordSkipped()) return false;  // before the reload, which reads the recorded cursor
  auto renewed = store_.Renew(id_, options_.lease, Deadline());
  if (!renewed.ok()) {
    // The database is away: go on only while the lease surely holds, then let it lapse
    // (and without a first reading of the subscription, not at all).
    renew_due_ = now + options_.lease / 10;
    return target_.has_value() && now + options_.lease / 10 < lease_until_;
  }
  if (!*renewed) return false;  // lost, paused or deleted
  lease_until_ = now + options_.lease;
  renew_due_ = now + options_.lease / 3;
  target_ = std::move(**renewed);
  keys_.clear();
  for (const auto& secret : target_->secrets) {
    if (auto key = WebhookKey(secret)) keys_.push_back(*std::move(key));
  }
  if (!sender_ || sender_url_ != target_->fields.url) {
    sender_ = std::make_unique<WebhookSender>(target_->fields.url, options_.sender);
    sender_url_ = target_->fields.url;
  }
  return true;
}

SubscriptionDelivery::Step SubscriptionDelivery::DeliverBatch() {
  auto events = events_.After(target_->delivered_sequence, options_.batch);
  if (!events.ok() || events->empty()) return Step::kIdle;
  int64_t skipped = 0;
  for (const auto& event : *events) {
    if (host_.Stopping() || clock_.Now() >= renew_due_) break;
    // A change to this subscription (a rotated secret, above all) holds from its own event
    // on: every later event is signed with the new secret.
    if (event.resource() == name_) {
      if (skipped != 0 && !Skip(skipped)) return Step::kStop;
      skipped = 0;
      if (!Renew()) return Step::kStop;
    }
    if (!WebhookMatches(target_->fields.filter, event.resource(), event.method())) {
      skipped = event.sequence();
      continue;
    }
    if (skipped != 0 && !Skip(skipped)) return Step::kStop;
    skipped = 0;
    const Step step = Attempt(event);
    if (step != Step::kProgress) return step;
  }
  if (skipped != 0 && !Skip(skipped)) return Step::kStop;
  return Step::kProgress;
}

// Every seal wakes every subscription, and most find only events their filters leave out.
// Writing the cursor for each of those wakes cost a commit per subscription per seal: 5,400
// commits a second in the bench's webhook row (100 subscriptions, 1,000 events a second),
// most of them these, and deliveries waited behind them. So the cursor is written at most once
// a second for them (and with the next delivery, renewal or release), which keeps
// compliance_webhook_lag_events within a second of the truth. Events left out again after a
// crash or a move to another replica are only filtered again, never delivered.
bool SubscriptionDelivery::Skip(int64_t sequence) {
  target_->delivered_sequence = sequence;
  skip_unrecorded_ = true;
  return clock_.Now() < skip_record_due_ || RecordSkipped();
}

bool SubscriptionDelivery::RecordSkipped() {
  if (!skip_unrecorded_) return true;
  auto recorded = store_.RecordProgress(id_, target_->delivered_sequence, false, Deadline());
  skip_record_due_ = clock_.Now() + kSkipRecordEvery;
  if (!recorded.ok()) return true;  // the database is away: a later skip or renewal tries again
  skip_unrecorded_ = false;
  return *recorded;
}

SubscriptionDelivery::Step SubscriptionDelivery::Attempt(const v1::AuditEvent& event) {
  const std::string body = JsonWithDefaults(event);
  const absl::Time now = clock_.Now();
  const WebhookHeaders headers =
      SignWebhook(keys_, event.sequence(), absl::ToUnixSeconds(now), body);
  const AttemptOutcome outcome = sender_->Post(headers, body, now);
  host_.CountAttempt(outcome);
  if (!outcome.delivered) return Failed(outcome, clock_.Now());
  // Recorded or not, the receiver has it: a cursor the database missed only means that the
  // event may come again, with the same webhook-id.
  auto recorded = store_.RecordProgress(id_, event.sequence(), true, Deadline());
  if (recorded.ok() && !*recorded) return Step::kStop;
  target_->delivered_sequence = event.sequence();
  if (recorded.ok()) skip_unrecorded_ = false;  // the cursor is past what was skipped
  target_->failures = FailureRun{};
  target_->next_attempt_time.reset();
  return Step::kProgress;
}

SubscriptionDelivery::Step SubscriptionDelivery::Failed(const AttemptOutcome& outcome,
                                                        absl::Time now) {
  const FailureDecision decision =
      DecideFailure(options_.retry, target_->failures, outcome, now, Jitter());
  auto recorded = store_.RecordFailure(id_, decision, outcome.error, Deadline());
  if (recorded.ok() && !*recorded) return Step::kStop;
  target_->failures = {decision.failed_attempts, decision.first_failure_time};
  target_->next_attempt_time = decision.next_attempt_time;
  if (decision.pause) {
    spdlog::warn("webhooks/{} paused: {}", id_, decision.pause_reason);
    return Step::kStop;
  }
  return Step::kBackoff;
}

}  // namespace compliance
