#include "action_run.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "action_command.h"
#include "action_values.h"
#include "api/proto_time.h"
#include "cli_values.h"
#include "compliance/v1/action.grpc.pb.h"
#include "evidence_values.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::ActionService;

constexpr char kRed[] = "\033[31m";
constexpr char kReset[] = "\033[0m";

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// One line of at most `limit` code points: control characters (line breaks…) become spaces.
std::string Cell(std::string text, size_t limit) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return Shorten(text, limit);
}

std::string StateOf(const v1::LeadershipAction& a, absl::Time now) {
  return ActionStateCell(a.state(), a.overdue(), TimeOf(a.due_time()), now);
}

std::string Recurrence(const v1::LeadershipAction& a) {
  return a.has_recurrence()
             ? "every " + FormatHumanDuration(absl::Seconds(a.recurrence().seconds()))
             : "-";
}

void PrintAction(const v1::LeadershipAction& a, absl::Time now) {
  std::vector<std::string> evidence;
  for (const auto& e : a.evidence()) evidence.push_back(ShortEvidenceName(e));
  Table table({"field", "value"});
  table.AddRow({"name", a.name()});
  table.AddRow({"requirement", ShortRequirementName(a.requirement())});
  table.AddRow({"kind", ActionKindWord(a.kind())});
  table.AddRow({"title", a.title()});
  table.AddRow({"owner", a.owner()});
  table.AddRow({"due", FormatTimestamp(a.due_time())});
  table.AddRow({"recurrence", Recurrence(a)});
  table.AddRow({"evidence required", a.evidence_required() ? "yes" : "no"});
  table.AddRow({"state", StateOf(a, now)});
  if (a.state() == v1::ACTION_STATE_COMPLETED) {
    table.AddRow({"completed", FormatTimestamp(a.complete_time())});
    table.AddRow({"evidence", evidence.empty() ? "-" : absl::StrJoin(evidence, ", ")});
    table.AddRow({"note", OrDash(a.resolution_note())});
  } else if (a.state() == v1::ACTION_STATE_CANCELLED) {
    table.AddRow({"cancel reason", OrDash(a.resolution_note())});
  }
  if (!a.next_action().empty()) table.AddRow({"next action", a.next_action()});
  table.AddRow({"created", FormatTimestamp(a.create_time())});
  table.AddRow({"updated", FormatTimestamp(a.update_time())});
  table.AddRow({"etag", a.etag()});
  table.Print(std::cout);
  if (!a.description().empty()) std::cout << "\n" << a.description() << "\n";
}

// Prints the action an answer holds, as a table.
template <typename Response>
void PrintActionOf(const Response& response) {
  PrintAction(response.action(), absl::Now());
}

// The due time of --due; the validator has already accepted it.
absl::Time DueTime(const std::string& text) {
  auto due = ParseDueTime(text, absl::Now());
  if (!due.ok()) throw CLI::ValidationError("--due", std::string(due.status().message()));
  return *due;
}

absl::Duration RecurrenceFlag(const std::string& text) {
  auto recurrence = ParseHumanDuration(text);
  if (!recurrence.ok()) {
    throw CLI::ValidationError("--recurrence", std::string(recurrence.status().message()));
  }
  return *recurrence;
}

}  // namespace

int RunActionAdd(const ClientOptions& options, const ActionArgs& args) {
  v1::CreateActionRequest request;
  v1::LeadershipAction* a = request.mutable_action();
  a->set_requirement(ExpandRequirementName(args.requirement));
  a->set_kind(static_cast<v1::ActionKind>(ParseActionKind(args.kind).value_or(0)));
  a->set_title(args.title);
  a->set_description(args.description);
  a->set_owner(args.owner);
  ToProto(DueTime(args.due), a->mutable_due_time());
  if (!args.recurrence.empty()) ToProto(RecurrenceFlag(args.recurrence), a->mutable_recurrence());
  a->set_evidence_required(args.evidence_required);
  request.set_request_id(args.request_id);
  return CallAndPrint(options, &ActionService::Stub::CreateAction, request,
                      PrintActionOf<v1::CreateActionResponse>);
}

int RunActionGet(const ClientOptions& options, const ActionArgs& args) {
  v1::GetActionRequest request;
  request.set_name(ExpandActionName(args.name));
  return CallAndPrint(options, &ActionService::Stub::GetAction, request,
                      PrintActionOf<v1::GetActionResponse>);
}

int RunActionList(const ClientOptions& options, const ActionArgs& args) {
  auto stub = ActionService::NewStub(options.Channel());
  v1::ListActionsRequest request;
  if (!args.requirement.empty()) request.set_requirement(ExpandRequirementName(args.requirement));
  if (!args.state.empty()) {
    request.set_state(static_cast<v1::ActionState>(ParseActionState(args.state).value_or(0)));
  }
  request.set_overdue_only(args.overdue);
  request.set_owner(args.owner);
  const size_t limit = args.limit > 0 ? static_cast<size_t>(args.limit) : 0;
  return CollectAndPrint(
      options, *stub, &ActionService::Stub::ListActions, request, limit,
      [](auto& response) { return response.mutable_actions(); },
      [](const v1::ListActionsResponse& all, bool more) {
        const bool terminal = StdoutIsTerminal();
        PrintActionTable(all.actions(), absl::Now(), terminal, terminal && ColorAllowed(),
                         std::cout);
        if (more) std::cerr << "(more actions match; raise --limit to see them)\n";
        if (all.actions().empty()) std::cerr << "(no actions match)\n";
      });
}

int RunActionUpdate(const ClientOptions& options, const ActionArgs& args, const CLI::App& command) {
  v1::UpdateActionRequest request;
  v1::LeadershipAction* a = request.mutable_action();
  a->set_name(ExpandActionName(args.name));
  auto* mask = request.mutable_update_mask();
  if (command.count("--title") > 0) {
    a->set_title(args.title);
    mask->add_paths("title");
  }
  if (command.count("--description") > 0) {
    a->set_description(args.description);
    mask->add_paths("description");
  }
  if (command.count("--owner") > 0) {
    a->set_owner(args.owner);
    mask->add_paths("owner");
  }
  if (command.count("--due") > 0) {
    ToProto(DueTime(args.due), a->mutable_due_time());
    mask->add_paths("due_time");
  }
  if (command.count("--recurrence") > 0) {
    ToProto(RecurrenceFlag(args.recurrence), a->mutable_recurrence());
    mask->add_paths("recurrence");
  } else if (args.no_recurrence) {
    mask->add_paths("recurrence");  // unset in the request: the action stops recurring
  }
  if (command.count("--evidence-required") > 0) {
    a->set_evidence_required(args.evidence_required);
    mask->add_paths("evidence_required");
  }
  if (mask->paths().empty()) {
    throw CLI::ValidationError(
        "update",
        "give at least one of --title, --description, --owner, --due, --recurrence, "
        "--no-recurrence, --evidence-required");
  }
  request.set_etag(args.etag);
  return CallAndPrint(options, &ActionService::Stub::UpdateAction, request,
                      PrintActionOf<v1::UpdateActionResponse>);
}

int RunActionComplete(const ClientOptions& options, const ActionArgs& args) {
  v1::CompleteActionRequest request;
  request.set_name(ExpandActionName(args.name));
  for (const auto& evidence : args.evidence) request.add_evidence(ExpandEvidenceName(evidence));
  request.set_note(args.note);
  if (!args.complete_time.empty()) {
    auto time = ParseTime(args.complete_time);
    if (!time.ok()) throw CLI::ValidationError("--time", std::string(time.status().message()));
    ToProto(*time, request.mutable_complete_time());
  }
  request.set_etag(args.etag);
  request.set_request_id(args.request_id);
  return CallAndPrint(options, &ActionService::Stub::CompleteAction, request,
                      [](const v1::CompleteActionResponse& response) {
                        PrintActionOf(response);
                        if (!response.has_next_action()) return;
                        const auto& next = response.next_action();
                        std::cout << "\nNext: " << next.name() << " is due "
                                  << FormatTimestamp(next.due_time()) << " (" << Recurrence(next)
                                  << ").\n";
                      });
}

int RunActionCancel(const ClientOptions& options, const ActionArgs& args) {
  v1::CancelActionRequest request;
  request.set_name(ExpandActionName(args.name));
  request.set_reason(args.reason);
  request.set_etag(args.etag);
  return CallAndPrint(options, &ActionService::Stub::CancelAction, request,
                      PrintActionOf<v1::CancelActionResponse>);
}

void PrintActionTable(const google::protobuf::RepeatedPtrField<v1::LeadershipAction>& actions,
                      absl::Time now, bool terminal, bool color, std::ostream& out) {
  std::vector<std::string> header = {"NAME",  "REQUIREMENT", "KIND", "TITLE",
                                     "OWNER", "DUE",         "STATE"};
  if (terminal) header.insert(header.begin(), "");
  Table table(std::move(header));
  for (const auto& a : actions) {
    const bool late = a.state() == v1::ACTION_STATE_OPEN && a.overdue();
    std::vector<std::string> row = {ShortActionName(a.name()),
                                    ShortRequirementName(a.requirement()),
                                    ActionKindWord(a.kind()),
                                    Cell(a.title(), 48),
                                    Cell(a.owner(), 32),
                                    FormatTimestamp(a.due_time()),
                                    StateOf(a, now)};
    if (terminal) row.insert(row.begin(), late ? "!" : "");
    if (late && color) {
      table.AddRow(std::move(row), kRed, kReset);
    } else {
      table.AddRow(std::move(row));
    }
  }
  table.Print(out);
}

}  // namespace compliance::cli
