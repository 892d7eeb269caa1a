#include "server/audit_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "store/audit_log_session.h"

namespace compliance {
namespace {

constexpr int kSealBatch = 1000;
// While entries keep coming, seals start at most this often, so that a busy log is sealed in
// batches rather than a transaction (an fsync, a wake-up of every watcher) per commit; an
// entry of a quiet log is sealed at once (bench/README.md).
constexpr absl::Duration kSealInterval = absl::Milliseconds(2);
// Events held in memory for watchers: a few seconds of a busy log.
constexpr int64_t kRecentEvents = 4096;

}  // namespace

AuditWorker::AuditWorker(std::string database_url, absl::Duration poll, ChangeSignal& changes,
                         AuditCheckpointer& checkpointer, DegradedCounts& degraded)
    : database_url_(std::move(database_url)),
      poll_(poll),
      queue_vacuum_(database_url_),
      changes_(changes),
      checkpointer_(checkpointer),
      degraded_(degraded) {}

AuditWorker::~AuditWorker() { Stop(); }

void AuditWorker::Start(std::function<void()> on_sealed) {
  on_sealed_ = std::move(on_sealed);
  queue_vacuum_.Start();
  thread_ = std::thread([this] { Run(); });
}

void AuditWorker::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
  queue_vacuum_.Stop();
  following_ = false;
}

std::optional<std::vector<WatchMessage>> AuditWorker::RecentAfter(int64_t after_sequence,
                                                                  int limit) const {
  absl::MutexLock lock(&mutex_);
  const int64_t first = sealed_ - static_cast<int64_t>(recent_.size()) + 1;
  if (sealed_ < 0 || after_sequence + 1 < first) return std::nullopt;
  std::vector<WatchMessage> events;
  for (int64_t s = after_sequence + 1; s <= sealed_ && static_cast<int>(events.size()) < limit;
       ++s) {
    events.push_back(recent_[s - first]);
  }
  return events;
}

void AuditWorker::CatchUp(AuditLogSession& session) {
  int64_t held;
  {
    absl::MutexLock lock(&mutex_);
    held = sealed_;
  }
  const int64_t head = session.Head();
  if (head <= held) return;
  if (held < 0 || head - held > kRecentEvents) {
    // Too far behind to be worth reading into memory: start afresh at the head.
    {
      absl::MutexLock lock(&mutex_);
      recent_.clear();
      sealed_ = head;
    }
    if (on_sealed_) on_sealed_();
    return;
  }
  while (held < head) {
    auto events = session.ListAfter(held, kSealBatch);
    if (events.empty()) break;
    held = events.back().sequence;
    Publish(events);
  }
}

bool AuditWorker::Publish(const std::vector<AuditEvent>& events) {
  if (events.empty()) return true;
  std::vector<WatchMessage> messages;
  messages.reserve(events.size());
  for (const auto& event : events) messages.push_back(ToWatchMessage(event));
  {
    absl::MutexLock lock(&mutex_);
    // Only events that continue what memory holds: a gap would reach watchers as one.
    if (sealed_ < 0 || events.front().sequence != sealed_ + 1) return false;
    for (auto& message : messages) recent_.push_back(std::move(message));
    while (static_cast<int64_t>(recent_.size()) > kRecentEvents) recent_.pop_front();
    sealed_ = events.back().sequence;
  }
  if (on_sealed_) on_sealed_();
  return true;
}

void AuditWorker::PauseBetweenSeals(absl::Time seal_started) {
  stop_.WaitForNotificationWithTimeout(seal_started + kSealInterval - absl::Now());
}

void AuditWorker::ExtendTree(AuditLogSession& session) {
  int64_t added = 0;
  for (int count; (count = session.ExtendTree(kSealBatch)) > 0;) added += count;
  if (added > 0) spdlog::info("built the audit tree for {} events sealed before it", added);
}

bool AuditWorker::SealPending(AuditLogSession& session, bool* behind) {
  bool sealed_here = false;
  int count;
  std::vector<AuditEvent> events;
  while (true) {
    try {
      count = session.SealBatch(kSealBatch, &events);
    } catch (const TreeOutOfStep& e) {
      spdlog::info("the audit tree lags behind the log ({})", e.what());
      ExtendTree(session);
      continue;
    }
    if (count == 0) break;
    sealed_here = true;
    queue_vacuum_.Moved(count);
    // What this process just sealed goes to watchers straight from here, without reading it
    // back from the table.
    if (!Publish(events)) *behind = true;
    if (count < kSealBatch) break;
  }
  return sealed_here;
}

void AuditWorker::Run() {
  while (true) {
    if (stop_.HasBeenNotified()) return;
    try {
      bool sealed_elsewhere = false;  // set inside Await
      // Both notifications mean that another replica changed the database: caches drop
      // what they hold. A pending one is also work for the sealer (Follow seals on any wake).
      AuditLogSession session(
          database_url_, [this] { changes_.Changed(); },
          [&] {
            changes_.Changed();
            sealed_elsewhere = true;
          });
      CatchUp(session);
      changes_.SetListening(true);
      following_ = true;
      Follow(session, sealed_elsewhere);
    } catch (const std::exception& e) {
      spdlog::warn("audit worker: {}; retrying", e.what());
      degraded_.Count(DegradedPath::kAuditWorkerRestart);
    }
    following_ = false;
    changes_.SetListening(false);
    stop_.WaitForNotificationWithTimeout(absl::Milliseconds(500));
  }
}

void AuditWorker::Follow(AuditLogSession& session, bool& sealed_elsewhere) {
  bool leader = false;
  absl::Time tried_to_lead = absl::InfinitePast();
  while (true) {
    if (stop_.HasBeenNotified()) return;
    // The lock is tried again once a poll interval, not on every wake: it only moves when
    // its holder's session ends.
    if (!leader && absl::Now() - tried_to_lead >= poll_) {
      tried_to_lead = absl::Now();
      if ((leader = session.TryLeadSealing())) {
        spdlog::info("this process now seals the audit log");
        // Events sealed by a version without the tree get their leaves before anything
        // else, so that the first checkpoint covers the whole log.
        ExtendTree(session);
      }
    }
    // This process's commits: the sealer seals them below; any other replica tells it,
    // once for all the commits since the last wake.
    if (changes_.TakeCommits() && !leader) session.NotifyPending();
    bool behind = sealed_elsewhere;  // memory lacks events that only the table has
    const absl::Time seal_started = absl::Now();
    const bool sealed_here = leader && SealPending(session, &behind);
    // How long the checkpointer may wait: it signs at most once a second.
    const absl::Duration sign_in =
        leader ? checkpointer_.MaybeSign(session) : absl::InfiniteDuration();
    if (sealed_here || behind) {
      sealed_elsewhere = false;
      if (behind) CatchUp(session);
      // Entries may have been committed meanwhile: seal again before waiting, once the
      // interval between seals has passed.
      if (sealed_here) PauseBetweenSeals(seal_started);
      continue;
    }
    // Wakes on this process's commits and on any notification: entries pending elsewhere,
    // events sealed elsewhere. Quiet polls seal and catch up too, in case one was missed.
    if (!session.Await(std::min(poll_, sign_in + absl::Milliseconds(1)), changes_.commits_fd())) {
      CatchUp(session);
    }
  }
}

}  // namespace compliance
