#include "soak.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"

namespace compliance::bench {
namespace {

constexpr char kRequirement[] = "frameworks/iso27001-2022/requirements/5.1.a";
const char* const kKinds[] = {"reads", "creates", "batches", "completions", "watched", "scrapes"};
enum Kind { kReads, kCreates, kBatches, kCompletions, kWatched, kScrapes, kKindCount };

// What the workers did. Every failure is an error of the soak: none is expected by design
// (ids are unique, retries are exact, and the load stays far below any limit of the server).
struct Tally {
  std::atomic<int64_t> done[kKindCount] = {};
  std::atomic<int64_t> errors{0};
  std::mutex mutex;
  std::map<std::string, int64_t> by_problem;

  void Fail(Kind kind, const std::string& problem) {
    ++errors;
    std::lock_guard lock(mutex);
    ++by_problem[absl::StrFormat("%s: %s", kKinds[kind], problem.substr(0, 160))];
  }
  bool Check(Kind kind, const grpc::Status& status) {
    if (status.ok()) return true;
    Fail(kind, absl::StrFormat("code %d %s", status.error_code(), status.error_message()));
    return false;
  }
};

class Soak {
 public:
  Soak(const Target& target, const SoakOptions& options)
      : target_(target),
        options_(options),
        channel_(grpc::CreateChannel(target.grpc, grpc::InsecureChannelCredentials())),
        run_(absl::ToUnixSeconds(absl::Now())) {}

  int Run();

 private:
  std::unique_ptr<grpc::ClientContext> Context(absl::Duration deadline = absl::Seconds(30)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + target_.token);
    context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    return context;
  }
  bool running() const { return !stop_.load(); }
  void Reads();
  void Creates();
  void Batches();
  void Completions();
  void Watch();
  void Scrapes();

  const Target& target_;
  const SoakOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  const int64_t run_;  ///< makes this run's request ids and external ids unique
  std::atomic<bool> stop_{false};
  Tally tally_;
};

void Soak::Reads() {
  auto requirements = v1::RequirementService::NewStub(channel_);
  auto evidence = v1::EvidenceService::NewStub(channel_);
  auto actions = v1::ActionService::NewStub(channel_);
  auto reports = v1::ReportService::NewStub(channel_);
  for (int64_t n = 0; running(); ++n) {
    grpc::Status status;
    switch (n % 5) {
      case 0: {
        v1::GetRequirementRequest request;
        request.set_name(kRequirement);
        v1::GetRequirementResponse response;
        status = requirements->GetRequirement(Context().get(), request, &response);
        break;
      }
      case 1: {
        v1::ListRequirementsResponse response;
        status = requirements->ListRequirements(Context().get(), {}, &response);
        break;
      }
      case 2: {
        v1::ListEvidenceRequest request;
        request.set_requirement("frameworks/iso27001-2022/requirements/5.1.g");
        v1::ListEvidenceResponse response;
        status = evidence->ListEvidence(Context().get(), request, &response);
        break;
      }
      case 3: {
        v1::ListActionsResponse response;
        status = actions->ListActions(Context().get(), {}, &response);
        break;
      }
      default: {
        v1::GetReadinessResponse response;
        status = reports->GetReadiness(Context().get(), {}, &response);
      }
    }
    if (tally_.Check(kReads, status)) ++tally_.done[kReads];
  }
}

void Soak::Creates() {
  auto stub = v1::EvidenceService::NewStub(channel_);
  for (int64_t n = 0; running(); ++n) {
    auto request = TrainingRecord(absl::StrFormat("soak-%d", run_), n);
    request.set_request_id(absl::StrFormat("soak-%d-%d", run_, n));
    // Every tenth is sent twice, as a client does that lost the first answer.
    for (int attempt = 0; attempt < (n % 10 == 0 ? 2 : 1); ++attempt) {
      v1::CreateEvidenceResponse response;
      if (!tally_.Check(kCreates, stub->CreateEvidence(Context().get(), request, &response))) {
        break;
      }
      if (response.deduplicated() != (attempt == 1)) {
        tally_.Fail(kCreates, attempt ? "a retry was not deduplicated" : "a first was");
      }
      ++tally_.done[kCreates];
    }
  }
}

void Soak::Batches() {
  auto stub = v1::EvidenceService::NewStub(channel_);
  for (int64_t n = 0; running();) {
    v1::BatchCreateEvidenceRequest request;
    for (int i = 0; i < 100; ++i) {
      *request.add_requests() = TrainingRecord(absl::StrFormat("soak-batch-%d", run_), n++);
    }
    v1::BatchCreateEvidenceResponse response;
    if (tally_.Check(kBatches, stub->BatchCreateEvidence(Context().get(), request, &response))) {
      ++tally_.done[kBatches];
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// A recurring review created, completed (which opens its successor) and the successor
// cancelled, so that open actions do not pile up over the run.
void Soak::Completions() {
  auto stub = v1::ActionService::NewStub(channel_);
  for (int64_t n = 0; running(); ++n) {
    v1::CreateActionRequest create;
    auto* action = create.mutable_action();
    action->set_requirement(kRequirement);
    action->set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
    action->set_title("Quarterly ISMS management review");
    action->set_owner("ceo@example.com");
    action->mutable_due_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) + 30 * 86400);
    action->mutable_recurrence()->set_seconds(90 * 86400);
    create.set_request_id(absl::StrFormat("soak-action-%d-%d", run_, n));
    v1::CreateActionResponse created;
    if (!tally_.Check(kCompletions, stub->CreateAction(Context().get(), create, &created))) {
      continue;
    }
    v1::CompleteActionRequest complete;
    complete.set_name(created.action().name());
    complete.set_note("Minutes filed");
    complete.set_request_id(absl::StrFormat("soak-complete-%d-%d", run_, n));
    v1::CompleteActionResponse completed;
    if (!tally_.Check(kCompletions, stub->CompleteAction(Context().get(), complete, &completed))) {
      continue;
    }
    if (!completed.has_next_action())
      tally_.Fail(kCompletions, "no successor of a recurring action");
    v1::CancelActionRequest cancel;
    cancel.set_name(completed.next_action().name());
    cancel.set_reason("Soak: the successor is not needed");
    v1::CancelActionResponse cancelled;
    if (tally_.Check(kCompletions, stub->CancelAction(Context().get(), cancel, &cancelled))) {
      ++tally_.done[kCompletions];
    }
  }
}

// One stream that follows the feed; it is reopened after its last event if it ends early.
void Soak::Watch() {
  auto stub = v1::AuditService::NewStub(channel_);
  int64_t after = 0;
  {
    v1::GetCheckpointResponse checkpoint;
    if (stub->GetCheckpoint(Context().get(), {}, &checkpoint).ok()) after = checkpoint.tree_size();
  }
  while (running()) {
    auto context = Context(absl::Seconds(options_.interval));
    v1::WatchAuditEventsRequest request;
    request.set_after_sequence(after);
    auto reader = stub->WatchAuditEvents(context.get(), request);
    v1::WatchAuditEventsResponse event;
    while (reader->Read(&event)) {
      if (event.audit_event().sequence() != after + 1) tally_.Fail(kWatched, "a gap or a repeat");
      after = event.audit_event().sequence();
      ++tally_.done[kWatched];
    }
    // Each stream is given one interval; it ends by its deadline, as a client's would.
    const grpc::Status status = reader->Finish();
    if (status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) tally_.Check(kWatched, status);
  }
}

void Soak::Scrapes() {
  while (running()) {
    try {
      ScrapeMs(target_, 1);
      ++tally_.done[kScrapes];
    } catch (const std::exception& e) {
      tally_.Fail(kScrapes, e.what());
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

int Soak::Run() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 2; ++i) workers.emplace_back([this] { Reads(); });
  workers.emplace_back([this] { Creates(); });
  workers.emplace_back([this] { Batches(); });
  workers.emplace_back([this] { Completions(); });
  workers.emplace_back([this] { Scrapes(); });
  for (int i = 0; i < options_.watchers; ++i) workers.emplace_back([this] { Watch(); });

  const absl::Time start = absl::Now();
  double baseline = 0, peak = 0, rss = 0;
  for (double elapsed = 0; elapsed < options_.seconds;) {
    const double step = std::min(options_.interval, options_.seconds - elapsed);
    absl::SleepFor(absl::Seconds(step));
    elapsed = absl::ToDoubleSeconds(absl::Now() - start);
    rss = ServerRssMib(target_);
    peak = std::max(peak, rss);
    if (baseline == 0 && elapsed >= options_.warmup) baseline = rss;
    std::string line = absl::StrFormat("soak: %4.0fs  rss %6.1f MiB", elapsed, rss);
    for (int k = 0; k < kKindCount; ++k)
      absl::StrAppendFormat(&line, "  %s %d", kKinds[k], tally_.done[k].load());
    std::cout << line << absl::StrFormat("  errors %d", tally_.errors.load()) << std::endl;
  }
  stop_ = true;
  for (auto& worker : workers) worker.join();

  if (baseline == 0) baseline = rss;
  const double growth = 100 * (rss - baseline) / baseline;
  for (const auto& [problem, count] : tally_.by_problem) {
    std::cout << absl::StrFormat("soak: error x%d  %s", count, problem) << std::endl;
  }
  const bool ok = tally_.errors == 0 && growth < options_.max_growth_percent;
  std::cout << absl::StrFormat(
                   "soak: %s after %.0f s: %d errors; RSS %.1f MiB after the warm-up, %.1f MiB "
                   "at the end (%+.1f %%, limit %.0f %%), peak %.1f MiB",
                   ok ? "passed" : "FAILED", options_.seconds, tally_.errors.load(), baseline, rss,
                   growth, options_.max_growth_percent, peak)
            << std::endl;
  return ok ? 0 : 1;
}

}  // namespace

int RunSoak(const Target& target, const SoakOptions& options) {
  return Soak(target, options).Run();
}

}  // namespace compliance::bench
