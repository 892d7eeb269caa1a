#include "action_command.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "action_values.h"
#include "api/proto_time.h"
#include "cli_values.h"
#include "compliance/v1/action.grpc.pb.h"
#include "evidence_values.h"
#include "output.h"
#include "paging.h"

namespace compliance::cli {
namespace {

using v1::ActionService;

constexpr char kRed[] = "\033[31m";
constexpr char kReset[] = "\033[0m";

// Flag values of the action subcommands (only one subcommand runs).
struct ActionArgs {
  std::string name;
  // add, update
  std::string requirement;
  std::string kind;
  std::string title;
  std::string description;
  std::string owner;
  std::string due;
  std::string recurrence;
  bool no_recurrence = false;
  bool evidence_required = false;
  std::string request_id;
  // list
  std::string state;
  bool overdue = false;
  int limit = 0;
  // complete, cancel
  std::vector<std::string> evidence;
  std::string note;
  std::string complete_time;
  std::string reason;
  std::string etag;
};

// CLI11 validators: "" when fine, else the problem.
std::string CheckKind(const std::string& text) {
  auto kind = ParseActionKind(text);
  return kind.ok() ? "" : std::string(kind.status().message());
}
std::string CheckState(const std::string& text) {
  auto state = ParseActionState(text);
  return state.ok() ? "" : std::string(state.status().message());
}
std::string CheckDue(const std::string& text) {
  auto due = ParseDueTime(text, absl::Now());
  return due.ok() ? "" : std::string(due.status().message());
}
std::string CheckTime(const std::string& text) {
  auto time = ParseTime(text);
  return time.ok() ? "" : std::string(time.status().message());
}
std::string CheckDuration(const std::string& text) {
  auto duration = ParseHumanDuration(text);
  return duration.ok() ? "" : std::string(duration.status().message());
}

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

void PrintOne(const ClientOptions& options, const google::protobuf::Message& response,
              const v1::LeadershipAction& action) {
  if (options.json()) {
    PrintJson(response, std::cout);
  } else {
    PrintAction(action, absl::Now());
  }
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

int Add(const ClientOptions& options, const ActionArgs& args) {
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

  auto stub = ActionService::NewStub(options.Channel());
  grpc::ClientContext context;
  options.Prepare(context);
  v1::CreateActionResponse response;
  const grpc::Status status = stub->CreateAction(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  PrintOne(options, response, response.action());
  return 0;
}

int Get(const ClientOptions& options, const ActionArgs& args) {
  auto stub = ActionService::NewStub(options.Channel());
  v1::GetActionRequest request;
  request.set_name(ExpandActionName(args.name));
  grpc::ClientContext context;
  options.Prepare(context);
  v1::GetActionResponse response;
  const grpc::Status status = stub->GetAction(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  PrintOne(options, response, response.action());
  return 0;
}

int List(const ClientOptions& options, const ActionArgs& args) {
  auto stub = ActionService::NewStub(options.Channel());
  v1::ListActionsRequest request;
  if (!args.requirement.empty()) request.set_requirement(ExpandRequirementName(args.requirement));
  if (!args.state.empty()) {
    request.set_state(static_cast<v1::ActionState>(ParseActionState(args.state).value_or(0)));
  }
  request.set_overdue_only(args.overdue);
  request.set_owner(args.owner);
  const size_t limit = args.limit > 0 ? static_cast<size_t>(args.limit) : 0;
  v1::ListActionsResponse all;
  const grpc::Status status = CollectPages(
      options, request, limit,
      [&](grpc::ClientContext* context, const auto& page_request, auto* page) {
        return stub->ListActions(context, page_request, page);
      },
      [](auto& response) { return response.mutable_actions(); }, &all);
  if (!status.ok()) return ReportRpcError(status, options.server);
  const bool more = !all.next_page_token().empty();

  if (options.json()) {
    PrintJson(all, std::cout);
    return 0;
  }
  const bool terminal = StdoutIsTerminal();
  PrintActionTable(all.actions(), absl::Now(), terminal, terminal && ColorAllowed(), std::cout);
  if (more) std::cerr << "(more actions match; raise --limit to see them)\n";
  if (all.actions().empty()) std::cerr << "(no actions match)\n";
  return 0;
}

int Update(const ClientOptions& options, const ActionArgs& args, const CLI::App& command) {
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
  auto stub = ActionService::NewStub(options.Channel());
  grpc::ClientContext context;
  options.Prepare(context);
  v1::UpdateActionResponse response;
  const grpc::Status status = stub->UpdateAction(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  PrintOne(options, response, response.action());
  return 0;
}

int Complete(const ClientOptions& options, const ActionArgs& args) {
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
  auto stub = ActionService::NewStub(options.Channel());
  grpc::ClientContext context;
  options.Prepare(context);
  v1::CompleteActionResponse response;
  const grpc::Status status = stub->CompleteAction(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  PrintOne(options, response, response.action());
  if (!options.json() && response.has_next_action()) {
    const auto& next = response.next_action();
    std::cout << "\nNext: " << next.name() << " is due " << FormatTimestamp(next.due_time()) << " ("
              << Recurrence(next) << ").\n";
  }
  return 0;
}

int Cancel(const ClientOptions& options, const ActionArgs& args) {
  v1::CancelActionRequest request;
  request.set_name(ExpandActionName(args.name));
  request.set_reason(args.reason);
  request.set_etag(args.etag);
  auto stub = ActionService::NewStub(options.Channel());
  grpc::ClientContext context;
  options.Prepare(context);
  v1::CancelActionResponse response;
  const grpc::Status status = stub->CancelAction(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  PrintOne(options, response, response.action());
  return 0;
}

}  // namespace

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

void AddActionCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<ActionArgs>();
  auto* group = app.add_subcommand("actions", "track what leadership must do, and by when");
  group->alias("action");
  group->require_subcommand(1);
  group->footer("Example: compliancectl actions list --overdue\n");
  const std::string kinds = ActionKindWords();
  const std::string due_help = "when it is due: RFC 3339, or +7d / -2d from now";

  auto* add = group->add_subcommand("add", "create a leadership action");
  add->footer(
      "Example: compliancectl actions add --requirement 5.1.e --kind management-review "
      "--title \"Q3 management review\" --owner ceo@example.com --due +30d --recurrence 90d\n");
  add->add_option("--requirement", args->requirement, "requirement it serves, e.g. 5.1.e")
      ->required();
  add->add_option("--kind", args->kind, "what it is: " + kinds)->required()->check(CheckKind);
  add->add_option("--title", args->title, "short title, 1-200 characters")->required();
  add->add_option("--owner", args->owner, "who must do it")->required();
  add->add_option("--due", args->due, due_help)->required()->check(CheckDue);
  add->add_option("--description", args->description, "up to 4000 characters");
  add->add_option("--recurrence", args->recurrence,
                  "repeat: completing it opens the next one, due this long after, e.g. 90d")
      ->check(CheckDuration);
  add->add_flag("--evidence-required", args->evidence_required,
                "completing it needs at least one ACTIVE evidence record");
  add->add_option("--request-id", args->request_id, "makes a retry safe: repeats change nothing");
  add->callback([&, args] { exit_code = Add(options, *args); });

  auto* get = group->add_subcommand("get", "show one action");
  get->footer("Example: compliancectl actions get 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13\n");
  get->add_option("name", args->name, "its UUID or actions/UUID")->required();
  get->callback([&, args] { exit_code = Get(options, *args); });

  auto* list = group->add_subcommand("list", "list actions, soonest due first");
  list->footer(
      "Overdue open actions say OVERDUE and how late in STATE; on a terminal they are also\n"
      "marked with ! and shown in red (set NO_COLOR to turn the colour off).\n\n"
      "Example: compliancectl actions list --requirement 5.1.e --state open\n");
  list->add_option("--requirement", args->requirement, "only actions of this requirement");
  list->add_option("--state", args->state, ActionStateWords())->check(CheckState);
  list->add_flag("--overdue", args->overdue, "only OPEN actions past their due time");
  list->add_option("--owner", args->owner, "only actions of this owner");
  list->add_option("--limit", args->limit, "at most this many; default all")
      ->check(CLI::NonNegativeNumber);
  list->callback([&, args] { exit_code = List(options, *args); });

  auto* update = group->add_subcommand("update", "change an OPEN action");
  update->footer(
      "Only the fields given change.\n\n"
      "Example: compliancectl actions update 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13 "
      "--owner cfo@example.com --due 2026-12-01T09:00:00Z\n");
  update->add_option("name", args->name, "its UUID or actions/UUID")->required();
  update->add_option("--title", args->title, "short title, 1-200 characters");
  update->add_option("--description", args->description, "up to 4000 characters");
  update->add_option("--owner", args->owner, "who must do it");
  update->add_option("--due", args->due, due_help)->check(CheckDue);
  auto* recurrence = update->add_option("--recurrence", args->recurrence, "repeat, e.g. 30d")
                         ->check(CheckDuration);
  update->add_flag("--no-recurrence", args->no_recurrence, "stop repeating")->excludes(recurrence);
  update->add_option("--evidence-required", args->evidence_required,
                     "true or false: whether completing it needs ACTIVE evidence");
  update->add_option("--etag", args->etag, "only if the action still has this etag");
  update->callback([&, args, update] { exit_code = Update(options, *args, *update); });

  auto* complete = group->add_subcommand(
      "complete", "complete an OPEN action; a recurring one opens its successor");
  complete->footer(
      "Example: compliancectl actions complete 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13 "
      "--evidence 0b6f3c1e-9a43-4c57-8a1e-2f1d7c9e5b10 --note \"minutes signed\"\n");
  complete->add_option("name", args->name, "its UUID or actions/UUID")->required();
  complete->add_option("--evidence", args->evidence,
                       "ACTIVE evidence showing it was done (UUID or evidence/UUID); repeat "
                       "for more");
  complete->add_option("--note", args->note, "what was done; up to 4000 characters");
  complete->add_option("--time", args->complete_time, "when it was done (RFC 3339); default now")
      ->check(CheckTime);
  complete->add_option("--etag", args->etag, "only if the action still has this etag");
  complete->add_option("--request-id", args->request_id,
                       "makes a retry safe: repeats change nothing");
  complete->callback([&, args] { exit_code = Complete(options, *args); });

  auto* cancel = group->add_subcommand("cancel", "cancel an OPEN action, with a reason");
  cancel->footer(
      "Example: compliancectl actions cancel 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13 "
      "--reason \"merged into the Q4 review\"\n");
  cancel->add_option("name", args->name, "its UUID or actions/UUID")->required();
  cancel->add_option("--reason", args->reason, "why; kept with the action")->required();
  cancel->add_option("--etag", args->etag, "only if the action still has this etag");
  cancel->callback([&, args] { exit_code = Cancel(options, *args); });
}

}  // namespace compliance::cli
