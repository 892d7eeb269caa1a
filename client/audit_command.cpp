#include "audit_command.h"

#include <grpc/grpc.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "api/status_names.h"
#include "audit_proof_command.h"
#include "cli_values.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/text.h"
#include "output.h"
#include "paging.h"
#include "stop_on_signal.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::AuditService;

// Flag values of the audit subcommands (only one subcommand runs).
struct AuditArgs {
  int64_t after = 0;
  // list
  std::string resource;
  int limit = 0;
  // follow
  int64_t count = 0;
  // verify
  std::string key;
  std::vector<std::string> checkpoints;
};

// Column widths of `audit follow`, which cannot align on rows it has not seen yet; RESOURCE, the
// last column, is not padded.
constexpr size_t kFollowWidths[] = {6, 20, 12, 20};

// A watch that lasted this long was a working connection: the next reconnect starts quickly.
constexpr absl::Duration kHealthyStream = absl::Seconds(5);

// One line: control characters (line breaks…) become spaces.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text.empty() ? "-" : text;
}

bool LooksLikeUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

// --resource: a full name passes unchanged, a short requirement name (5.1.a) is expanded; a bare
// UUID could be evidence or an action, so it is refused.
std::string AuditResource(const std::string& text) {
  if (LooksLikeUuid(text)) {
    throw CLI::ValidationError(
        "--resource", "\"" + text + "\" could be evidence or an action: give evidence/" + text +
                          " or actions/" + text);
  }
  return ExpandRequirementName(text);
}

int List(const ClientOptions& options, const AuditArgs& args) {
  v1::ListAuditEventsRequest request;
  request.set_after_sequence(args.after);
  if (!args.resource.empty()) request.set_resource(AuditResource(args.resource));
  const size_t limit = args.limit > 0 ? static_cast<size_t>(args.limit) : 0;
  // Events carry whole resources as JSON; a page of 1000 may exceed gRPC's default 4 MB.
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  auto stub = AuditService::NewStub(options.Channel(arguments));
  return CollectAndPrint(
      options, *stub, &AuditService::Stub::ListAuditEvents, request, limit,
      [](auto& response) { return response.mutable_audit_events(); },
      [](const v1::ListAuditEventsResponse& all, bool more) {
        Table table({"SEQ", "TIME", "ACTOR", "METHOD", "RESOURCE"});
        for (const auto& event : all.audit_events()) table.AddRow(AuditEventCells(event));
        table.Print(std::cout);
        if (more) std::cerr << "(more events match; raise --limit to see them)\n";
        if (all.audit_events().empty()) std::cerr << "(no audit events match)\n";
      });
}

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

int Follow(const ClientOptions& options, const AuditArgs& args) {
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

    auto stub = AuditService::NewStub(channel);
    grpc::ClientContext context;
    options.PrepareStream(context);  // no deadline: the stream runs until it is stopped
    v1::WatchAuditEventsRequest request;
    request.set_after_sequence(check.last());
    stop.Watch(&context);
    const absl::Time began = absl::Now();
    auto reader = stub->WatchAuditEvents(&context, request);
    bool progressed = false;
    bool counted_out = false;
    v1::WatchAuditEventsResponse message;
    while (reader->Read(&message)) {
      if (!message.has_audit_event()) continue;  // nothing to print (a later kind of message)
      if (!CheckSequence(check, message.audit_event().sequence())) continue;
      PrintFollowed(options, message);
      progressed = true;
      if (args.count > 0 && ++printed >= args.count) {
        counted_out = true;
        context.TryCancel();
        break;
      }
    }
    const grpc::Status status = reader->Finish();
    stop.Watch(nullptr);
    if (counted_out || stop.requested()) break;
    if (!Resumable(status)) return ReportRpcError(status, options.server);
    if (progressed || absl::Now() - began >= kHealthyStream) delay = absl::ZeroDuration();
    resuming = true;
    if (!back_off("the watch ended (" + Describe(status) + ")")) break;
  }
  return 0;
}

int Verify(const ClientOptions& options) {
  v1::VerifyAuditLogResponse response;
  const grpc::Status status = CallOnce(options, &AuditService::Stub::VerifyAuditLog,
                                       v1::VerifyAuditLogRequest(), &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(response, std::cout);
  } else if (response.intact()) {
    std::cout << "intact: " << response.verified_events() << " events verified\n";
  } else {
    std::cout << "BROKEN at sequence " << response.first_broken_sequence() << ": "
              << response.detail() << "\n";
  }
  return response.intact() ? 0 : kAuditBrokenExitCode;
}

}  // namespace

std::string ShortMethodName(absl::string_view method) {
  const size_t slash = method.rfind('/');
  return std::string(slash == absl::string_view::npos ? method : method.substr(slash + 1));
}

std::vector<std::string> AuditEventCells(const v1::AuditEvent& event) {
  return {absl::StrCat(event.sequence()), FormatTimestamp(event.time()),
          Shorten(OneLine(event.actor()), 40), OneLine(ShortMethodName(event.method())),
          OneLine(event.resource())};
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

void AddAuditCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<AuditArgs>();
  auto* group = app.add_subcommand("audit", "read, follow and verify the tamper-evident audit log");
  group->require_subcommand(1);
  group->footer("Example: compliancectl audit list --resource 5.1.a\n");

  auto* list = group->add_subcommand("list", "list audit events, oldest first");
  list->footer(
      "METHOD is the RPC's short name; --output json prints every event read, hashes included,\n"
      "as one ListAuditEventsResponse (docs/audit-log.md shows how to check them yourself).\n\n"
      "Example: compliancectl audit list --after 100 --resource 5.1.a --limit 20\n");
  list->add_option("--after", args->after, "only events with a greater sequence")
      ->check(CLI::NonNegativeNumber);
  list->add_option("--resource", args->resource,
                   "only events on this resource: 5.1.a, a requirement's full name, "
                   "evidence/UUID, actions/UUID or tokens/NAME");
  list->add_option("--limit", args->limit, "at most this many; default all")
      ->check(CLI::NonNegativeNumber);
  list->callback([&, args] { exit_code = List(options, *args); });

  auto* follow = group->add_subcommand("follow", "print audit events as they happen, until Ctrl-C");
  follow->footer(
      "Replays the events after --after, then prints new ones as they are sealed, one line\n"
      "each (with --output json one WatchAuditEventsResponse per line: JSON Lines). When the\n"
      "connection drops or the server shuts down it reconnects (200ms, doubling, up to 5s\n"
      "apart; a note on stderr) and resumes after the last event printed: every event is\n"
      "printed once, in sequence. --timeout limits each connection attempt, not the stream;\n"
      "when the server cannot be reached at the start it exits with 1. Ctrl-C ends it (exit 0).\n\n"
      "Example: compliancectl --output json audit follow --after 1200 >> audit.jsonl\n");
  follow->add_option("--after", args->after, "start after this sequence; 0 replays the whole log")
      ->check(CLI::NonNegativeNumber);
  follow->add_option("--count", args->count, "stop after this many events; default never")
      ->check(CLI::NonNegativeNumber);
  follow->callback([&, args] { exit_code = Follow(options, *args); });

  auto* verify = group->add_subcommand(
      "verify", "recompute the hash chain on the server; exit 3 when it is broken");
  verify->footer(
      "Prints \"intact: N events verified\" and exits 0, or \"BROKEN at sequence S: what\" and\n"
      "exits 3, so that a pipeline can gate on it (1 is a failed call). A long log may need a\n"
      "longer --timeout.\n\n"
      "With --key it trusts nothing the database says: it checks the server's checkpoint\n"
      "signature, the consistency proof from each --checkpoint to it, then recomputes every\n"
      "event's leaf and the signed roots on this machine, and names the first sequence that\n"
      "does not match (docs/audit-log.md).\n\n"
      "Example: compliancectl --timeout 5m audit verify\n"
      "         compliancectl audit verify --key audit.pub --checkpoint "
      "checkpoint-2026-11-30.txt\n");
  verify->add_option("--key", args->key,
                     "verifier key of the server's audit signing key, or a file holding it: "
                     "check the signed Merkle tree here instead");
  verify
      ->add_option("--checkpoint", args->checkpoints,
                   "with --key: a saved checkpoint, or a witness directory of them, that the "
                   "log must still extend (repeatable)")
      ->needs("--key");
  verify->callback([&, args] {
    exit_code =
        args->key.empty() ? Verify(options) : VerifySigned(options, args->key, args->checkpoints);
  });
  AddAuditProofCommands(*group, options, exit_code);
}

}  // namespace compliance::cli
