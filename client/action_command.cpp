#include "action_command.h"

#include <memory>

#include "absl/time/clock.h"
#include "action_run.h"
#include "action_values.h"
#include "cli_values.h"

namespace compliance::cli {
namespace {

// --due as its validator reads it: relative times count from now.
absl::StatusOr<absl::Time> DueFromNow(absl::string_view text) {
  return ParseDueTime(text, absl::Now());
}

constexpr char kDueHelp[] = "when it is due: RFC 3339, or +7d / -2d from now";

// One function a subcommand registers its flags and help; what it runs is in action_run.cpp,
// so the flag list of a subcommand reads apart from its RPC.

// `actions add`.
void AddAddCommand(CLI::App& group, const std::shared_ptr<ActionArgs>& args,
                   const ClientOptions& options, int& exit_code) {
  auto* add = group.add_subcommand("add", "create a leadership action");
  add->footer(
      "Example: compliancectl actions add --requirement 5.1.e --kind management-review "
      "--title \"Q3 management review\" --owner ceo@example.com --due +30d --recurrence 90d\n");
  add->add_option("--requirement", args->requirement, "requirement it serves, e.g. 5.1.e")
      ->required();
  add->add_option("--kind", args->kind, "what it is: " + ActionKindWords())
      ->required()
      ->check(CheckWith(ParseActionKind));
  add->add_option("--title", args->title, "short title, 1-200 characters")->required();
  add->add_option("--owner", args->owner, "who must do it")->required();
  add->add_option("--due", args->due, kDueHelp)->required()->check(CheckWith(DueFromNow));
  add->add_option("--description", args->description, "up to 4000 characters");
  add->add_option("--recurrence", args->recurrence,
                  "repeat: completing it opens the next one, due this long after, e.g. 90d")
      ->check(CheckWith(ParseHumanDuration));
  add->add_flag("--evidence-required", args->evidence_required,
                "completing it needs at least one ACTIVE evidence record");
  add->add_option("--request-id", args->request_id, "makes a retry safe: repeats change nothing");
  add->callback([&options, &exit_code, args] { exit_code = RunActionAdd(options, *args); });
}

// `actions get`.
void AddGetCommand(CLI::App& group, const std::shared_ptr<ActionArgs>& args,
                   const ClientOptions& options, int& exit_code) {
  auto* get = group.add_subcommand("get", "show one action");
  get->footer("Example: compliancectl actions get 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13\n");
  get->add_option("name", args->name, "its UUID or actions/UUID")->required();
  get->callback([&options, &exit_code, args] { exit_code = RunActionGet(options, *args); });
}

// `actions list`.
void AddListCommand(CLI::App& group, const std::shared_ptr<ActionArgs>& args,
                    const ClientOptions& options, int& exit_code) {
  auto* list = group.add_subcommand("list", "list actions, soonest due first");
  list->footer(
      "Overdue open actions say OVERDUE and how late in STATE; on a terminal they are also\n"
      "marked with ! and shown in red (set NO_COLOR to turn the colour off).\n\n"
      "Example: compliancectl actions list --requirement 5.1.e --state open\n");
  list->add_option("--requirement", args->requirement, "only actions of this requirement");
  list->add_option("--state", args->state, ActionStateWords())->check(CheckWith(ParseActionState));
  list->add_flag("--overdue", args->overdue, "only OPEN actions past their due time");
  list->add_option("--owner", args->owner, "only actions of this owner");
  list->add_option("--limit", args->limit, "at most this many; default all")
      ->check(CLI::NonNegativeNumber);
  list->callback([&options, &exit_code, args] { exit_code = RunActionList(options, *args); });
}

// `actions update`.
void AddUpdateCommand(CLI::App& group, const std::shared_ptr<ActionArgs>& args,
                      const ClientOptions& options, int& exit_code) {
  auto* update = group.add_subcommand("update", "change an OPEN action");
  update->footer(
      "Only the fields given change.\n\n"
      "Example: compliancectl actions update 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13 "
      "--owner cfo@example.com --due 2026-12-01T09:00:00Z\n");
  update->add_option("name", args->name, "its UUID or actions/UUID")->required();
  update->add_option("--title", args->title, "short title, 1-200 characters");
  update->add_option("--description", args->description, "up to 4000 characters");
  update->add_option("--owner", args->owner, "who must do it");
  update->add_option("--due", args->due, kDueHelp)->check(CheckWith(DueFromNow));
  auto* recurrence = update->add_option("--recurrence", args->recurrence, "repeat, e.g. 30d")
                         ->check(CheckWith(ParseHumanDuration));
  update->add_flag("--no-recurrence", args->no_recurrence, "stop repeating")->excludes(recurrence);
  update->add_option("--evidence-required", args->evidence_required,
                     "true or false: whether completing it needs ACTIVE evidence");
  update->add_option("--etag", args->etag, "only if the action still has this etag");
  update->callback([&options, &exit_code, args, update] {
    exit_code = RunActionUpdate(options, *args, *update);
  });
}

// `actions complete`.
void AddCompleteCommand(CLI::App& group, const std::shared_ptr<ActionArgs>& args,
                        const ClientOptions& options, int& exit_code) {
  auto* complete = group.add_subcommand(
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
      ->check(CheckWith(ParseTime));
  complete->add_option("--etag", args->etag, "only if the action still has this etag");
  complete->add_option("--request-id", args->request_id,
                       "makes a retry safe: repeats change nothing");
  complete->callback(
      [&options, &exit_code, args] { exit_code = RunActionComplete(options, *args); });
}

// `actions cancel`.
void AddCancelCommand(CLI::App& group, const std::shared_ptr<ActionArgs>& args,
                      const ClientOptions& options, int& exit_code) {
  auto* cancel = group.add_subcommand("cancel", "cancel an OPEN action, with a reason");
  cancel->footer(
      "Example: compliancectl actions cancel 3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13 "
      "--reason \"merged into the Q4 review\"\n");
  cancel->add_option("name", args->name, "its UUID or actions/UUID")->required();
  cancel->add_option("--reason", args->reason, "why; kept with the action")->required();
  cancel->add_option("--etag", args->etag, "only if the action still has this etag");
  cancel->callback([&options, &exit_code, args] { exit_code = RunActionCancel(options, *args); });
}

}  // namespace

void AddActionCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<ActionArgs>();
  auto* group = app.add_subcommand("actions", "track what leadership must do, and by when");
  group->alias("action");
  group->require_subcommand(1);
  group->footer("Example: compliancectl actions list --overdue\n");
  AddAddCommand(*group, args, options, exit_code);
  AddGetCommand(*group, args, options, exit_code);
  AddListCommand(*group, args, options, exit_code);
  AddUpdateCommand(*group, args, options, exit_code);
  AddCompleteCommand(*group, args, options, exit_code);
  AddCancelCommand(*group, args, options, exit_code);
}

}  // namespace compliance::cli
