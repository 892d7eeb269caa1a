// `audit follow`: the watch, its reconnects, and its printing of each event once, in sequence.
#include <grpc/grpc.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <memory>

#include "absl/strings/str_cat.h"
#include "api/status_names.h"
#include "audit_command.h"
#include "audit_run.h"
#include "cli_values.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/text.h"
#include "output.h"
#include "stop_on_signal.h"

namespace compliance::cli {
namespace {

using v1::AuditService;

// Column widths of `audit follow`, which cannot align on rows it has not seen yet; RESOURCE, the
// last column, is not padded.
constexpr size_t kFollowWidths[] = {6, 20, 12, 20};

// A watch that lasted this long was a working connection: the next reconnect starts quickly.
constexpr absl::Duration kHealthyStream = absl::Seconds(5);

grpc::ChannelArguments FollowChannelArguments() {
  grpc::ChannelArguments arguments;
  // Each attempt gets a connection of its own, tried at once, so that our backoff (and not a
  // shared subchannel's) decides when to try again.
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // A connection that silently died (a NAT timeout, a host gone) is noticed: a ping every 5.5 min
  // is slower than the 5 min servers accept by default, and it needs no data from us.
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 330'000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  arguments.SetMaxReceiveMessageSize(-1);
  return arguments;
}

// One connection attempt: true once `channel` is READY; false when the attempt failed,
// `deadline` passed, or a stop was asked for.
bool Connect(grpc::Channel& channel, absl::Time deadline, const StopOnSignal& stop) {
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) return false;
    if (stop.requested() || absl::Now() >= deadline) return false;
    channel.WaitForStateChange(
        state, absl::ToChronoTime(std::min(deadline, absl::Now() + absl::Milliseconds(100))));
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return true;
}

// How a watch that we did not cancel ended: resume (true), or give up on an error that
// reconnecting does not cure (bad token, permissions, a bug).
bool Resumable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:                 // the stream ended without an error
    case grpc::StatusCode::UNAVAILABLE:        // server shut down, connection dropped
    case grpc::StatusCode::CANCELLED:          // cancelled by the server or a proxy, not by us
    case grpc::StatusCode::DEADLINE_EXCEEDED:  // we set none: a proxy's
    case grpc::StatusCode::ABORTED:
      return true;
    default:
      return false;
  }
}

std::string Describe(const grpc::Status& status) {
  return status.error_message().empty()
             ? StatusCodeName(status.error_code())
             : absl::StrCat(StatusCodeName(status.error_code()), ": ", status.error_message());
}

void PrintFollowed(const ClientOptions& options, const v1::WatchAuditEventsResponse& message) {
  if (options.json()) {
    PrintJsonLine(message, std::cout);
  } else {
    std::cout << AuditFollowLine(AuditEventCells(message.audit_event())) << '\n' << std::flush;
  }
}

// Reports on stderr what SequenceCheck found wrong; true when the event is to be printed.
bool CheckSequence(SequenceCheck& check, int64_t sequence) {
  const int64_t expected = check.last() + 1;
  switch (check.Accept(sequence)) {
    case SequenceCheck::Verdict::kNext:
      return true;
    case SequenceCheck::Verdict::kGap:
      std::cerr << "warning: "
                << (sequence - expected == 1
                        ? absl::StrCat("event ", expected, " is missing")
                        : absl::StrCat("events ", expected, "-", sequence - 1, " are missing"))
                << ": the server sent " << sequence << " after " << expected - 1
                << "; `compliancectl audit verify` checks the log\n";
      return true;
    case SequenceCheck::Verdict::kRepeat:
      std::cerr << "warning: dropped event " << sequence << ", which came again after "
                << expected - 1 << " (it was printed before)\n";
      return false;
  }
  return false;
}

// How one watch ended.
struct WatchEnd {
  grpc::Status status;
  bool counted_out = false;  // --count events have been printed: the command is done
  bool healthy = false;      // it printed events or lasted kHealthyStream: reconnect quickly
};

// One WatchAuditEvents call on `channel`, resuming after check.last(): prints each new event
// until the stream ends, a stop is asked for, or `count` events (0: no limit) have been printed
// in all; `printed` counts them across watches.
WatchEnd WatchOnce(const ClientOptions& options, const std::shared_ptr<grpc::Channel>& channel,
                   StopOnSignal& stop, SequenceCheck& check, int64_t count, int64_t& printed) {
  auto stub = AuditService::NewStub(channel);
  grpc::ClientContext context;
  options.PrepareStream(context);  // no deadline: the stream runs until it is stopped
  v1::WatchAuditEventsRequest request;
  request.set_after_sequence(check.last());
  stop.Watch(&context);
  const absl::Time began = absl::Now();
  auto reader = stub->WatchAuditEvents(&context, request);
  bool progressed = false;
  WatchEnd end;
  v1::WatchAuditEventsResponse message;
  while (reader->Read(&message)) {
    if (!message.has_audit_event()) continue;  // nothing to print (a later kind of message)
    if (!CheckSequence(check, message.audit_event().sequence())) continue;
    PrintFollowed(options, message);
    progressed = true;
    if (count > 0 && ++printed >= count) {
      end.counted_out = true;
      context.TryCancel();
      break;
    }
  }
  end.status = reader->Finish();
  stop.Watch(nullptr);
  end.healthy = progressed || absl::Now() - began >= kHealthyStream;
  return end;
}

}  // namespace

int RunAuditFollow(const ClientOptions& options, const AuditArgs& args) {
  // --timeout bounds each connection attempt, never the stream.
  const absl::Duration connect_timeout =
      ParseHumanDuration(options.timeout).value_or(absl::Seconds(10));
  StopOnSignal stop;
  SequenceCheck check(args.after);
  int64_t printed = 0;
  bool reached = false;   // a connection succeeded once: from then on, always reconnect
  bool resuming = false;  // the last watch ended; the next one resumes it
  absl::Duration delay;   // the last reconnect delay; zero after a healthy watch
  const auto back_off = [&](const std::string& why) {
    delay = NextReconnectDelay(delay);
    std::cerr << "note: " << why << "; reconnecting in " << absl::FormatDuration(delay)
              << " to resume after sequence " << check.last() << '\n';
    return stop.Sleep(delay);
  };

  while (!stop.requested()) {
    auto channel = options.Channel(FollowChannelArguments());
    if (!Connect(*channel, absl::Now() + connect_timeout, stop)) {
      if (stop.requested()) break;
      if (!reached) {
        return ReportRpcError(
            grpc::Status(grpc::StatusCode::UNAVAILABLE, "cannot connect to " + options.server),
            options.server);
      }
      if (!back_off("cannot reach " + options.server)) break;
      continue;
    }
    if (!reached && !options.json()) {
      std::cout << AuditFollowLine({"SEQ", "TIME", "ACTOR", "METHOD", "RESOURCE"}) << '\n'
                << std::flush;
    }
    reached = true;
    if (resuming) {
      std::cerr << "note: reconnected to " << options.server << "; resuming after sequence "
                << check.last() << '\n';
    }
    const WatchEnd end = WatchOnce(options, channel, stop, check, args.count, printed);
    if (end.counted_out || stop.requested()) break;
    if (!Resumable(end.status)) return ReportRpcError(end.status, options.server);
    if (end.healthy) delay = absl::ZeroDuration();
    resuming = true;
    if (!back_off("the watch ended (" + Describe(end.status) + ")")) break;
  }
  return 0;
}

std::string AuditFollowLine(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 == cells.size()) break;
    const size_t width = i < std::size(kFollowWidths) ? kFollowWidths[i] : 0;
    const size_t length = CodePointCount(cells[i]).value_or(cells[i].size());
    line.append(std::max(width, length) - length + 2, ' ');
  }
  return line;
}

absl::Duration NextReconnectDelay(absl::Duration previous) {
  if (previous <= absl::ZeroDuration()) return absl::Milliseconds(200);
  return std::min(previous * 2, absl::Seconds(5));
}

SequenceCheck::Verdict SequenceCheck::Accept(int64_t sequence) {
  if (sequence <= last_) return Verdict::kRepeat;
  const Verdict verdict = sequence == last_ + 1 ? Verdict::kNext : Verdict::kGap;
  last_ = sequence;
  return verdict;
}

}  // namespace compliance::cli
