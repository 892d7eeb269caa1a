#include "evidence_command.h"

#include <memory>

#include "cli_values.h"
#include "evidence_run.h"
#include "evidence_values.h"
#include "import_command.h"

namespace compliance::cli {
namespace {

// One function a subcommand registers its flags and help; what it runs is in evidence_run.cpp,
// so the flag list of a subcommand reads apart from its RPC.

// `evidence add`.
void AddAddCommand(CLI::App& group, const std::shared_ptr<EvidenceArgs>& args,
                   const ClientOptions& options, int& exit_code) {
  auto* add = group.add_subcommand("add", "record one piece of evidence");
  add->footer(
      "Example: compliancectl evidence add --requirement 5.1.f --kind training-record "
      "--title \"ISMS awareness training 2026\" --file training-2026.pdf --label team=hr\n");
  add->add_option("--requirement", args->requirements,
                  "requirement it supports, e.g. 5.1.f; repeat for more")
      ->required();
  add->add_option("--kind", args->kind, "what it is: " + EvidenceKindWords())
      ->required()
      ->check(CheckWith(ParseEvidenceKind));
  add->add_option("--title", args->title, "short title, 1-200 characters")->required();
  add->add_option("--uri", args->uri, "where it lives, e.g. https://dms.example.com/doc/1");
  add->add_option("--description", args->description, "up to 4000 characters");
  auto* sha256 =
      add->add_option("--sha256", args->sha256, "SHA-256 of the document, 64 hex digits");
  add->add_option("--file", args->file,
                  "a local copy: its SHA-256 is computed, and without --uri it becomes file://...")
      ->check(CLI::ExistingFile)
      ->excludes(sha256);
  add->add_option("--source", args->source, "system that supplied it; default manual");
  add->add_option("--external-id", args->external_id, "its id in that system");
  add->add_option("--collect-time", args->collect_time,
                  "when it was collected (RFC 3339); default now")
      ->check(CheckWith(ParseTime));
  add->add_option("--expire-time", args->expire_time, "when it stops being valid (RFC 3339)")
      ->check(CheckWith(ParseTime));
  add->add_option("--label", args->labels, "key=value; repeat for more")
      ->check(CheckWith(ParseLabel));
  add->add_option("--supersedes", args->supersedes, "an ACTIVE record this one replaces");
  add->add_option("--request-id", args->request_id,
                  "makes a retry safe: repeats change nothing (send the same record, with "
                  "--collect-time, each time)");
  add->callback([&options, &exit_code, args] { exit_code = RunEvidenceAdd(options, *args); });
}

// `evidence get`.
void AddGetCommand(CLI::App& group, const std::shared_ptr<EvidenceArgs>& args,
                   const ClientOptions& options, int& exit_code) {
  auto* get = group.add_subcommand("get", "show one piece of evidence");
  get->footer("Example: compliancectl evidence get 0b6f3c1e-9a43-4c57-8a1e-2f1d7c9e5b10\n");
  get->add_option("name", args->name, "its UUID or evidence/UUID")->required();
  get->callback([&options, &exit_code, args] { exit_code = RunEvidenceGet(options, *args); });
}

// `evidence list`.
void AddListCommand(CLI::App& group, const std::shared_ptr<EvidenceArgs>& args,
                    const ClientOptions& options, int& exit_code) {
  auto* list = group.add_subcommand("list", "list evidence, newest first");
  list->footer("Example: compliancectl evidence list --requirement 5.1.f --state active\n");
  list->add_option("--requirement", args->requirement, "only evidence for this requirement");
  list->add_option("--kind", args->kind, "only this kind")->check(CheckWith(ParseEvidenceKind));
  list->add_option("--source", args->source, "only evidence from this source");
  list->add_option("--state", args->state, EvidenceStateWords())
      ->check(CheckWith(ParseEvidenceState));
  list->add_flag("--include-expired", args->include_expired, "also list expired evidence");
  list->add_option("--limit", args->limit, "at most this many; default all")
      ->check(CLI::NonNegativeNumber);
  list->callback([&options, &exit_code, args] { exit_code = RunEvidenceList(options, *args); });
}

// `evidence withdraw`.
void AddWithdrawCommand(CLI::App& group, const std::shared_ptr<EvidenceArgs>& args,
                        const ClientOptions& options, int& exit_code) {
  auto* withdraw = group.add_subcommand("withdraw", "withdraw ACTIVE evidence, with a reason");
  withdraw->footer(
      "Example: compliancectl evidence withdraw 0b6f3c1e-9a43-4c57-8a1e-2f1d7c9e5b10 "
      "--reason \"uploaded the wrong file\"\n");
  withdraw->add_option("name", args->name, "its UUID or evidence/UUID")->required();
  withdraw->add_option("--reason", args->reason, "why; kept with the record")->required();
  withdraw->add_option("--etag", args->etag, "only if the record still has this etag");
  withdraw->callback(
      [&options, &exit_code, args] { exit_code = RunEvidenceWithdraw(options, *args); });
}

}  // namespace

void AddEvidenceCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<EvidenceArgs>();
  auto* group = app.add_subcommand("evidence", "record, list and withdraw evidence");
  group->alias("ev");
  group->require_subcommand(1);
  group->footer("Example: compliancectl evidence list --requirement 5.1.f\n");
  AddAddCommand(*group, args, options, exit_code);
  AddGetCommand(*group, args, options, exit_code);
  AddListCommand(*group, args, options, exit_code);
  AddWithdrawCommand(*group, args, options, exit_code);
  AddImportCommand(*group, options, exit_code);
}

}  // namespace compliance::cli
