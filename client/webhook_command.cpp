#include "webhook_command.h"

#include <memory>

#include "webhook_run.h"

namespace compliance::cli {
namespace {

using Run = int (*)(const ClientOptions&, const WebhookArgs&);

constexpr char kExampleId[] = "7d3e0c2a-41f6-4b8e-9a51-3c2f6e1b0d94";

// `webhooks create`.
void AddCreateCommand(CLI::App& group, const std::shared_ptr<WebhookArgs>& args,
                      const ClientOptions& options, int& exit_code) {
  auto* create = group.add_subcommand("create", "send the audit log's events to a URL");
  create->footer(
      "Every event that passes the filters is POSTed as JSON, in order, signed as the\n"
      "Standard Webhooks specification says. The secret is printed once: keep it.\n\n"
      "Example: compliancectl webhooks create --url https://grc.example.com/hooks/compliance "
      "--resource-prefix evidence/ --method CreateEvidence\n");
  create->add_option("--url", args->url, "https URL that receives the events")->required();
  create->add_option("--resource-prefix", args->resource_prefix,
                     "only events on resources whose name starts with this, e.g. evidence/");
  create->add_option("--method", args->methods,
                     "only events of this method, e.g. CreateEvidence; repeat for more");
  create->add_option("--request-id", args->request_id,
                     "makes a retry safe: repeats change nothing");
  create->callback([&options, &exit_code, args] { exit_code = RunWebhookCreate(options, *args); });
}

// `webhooks update`.
void AddUpdateCommand(CLI::App& group, const std::shared_ptr<WebhookArgs>& args,
                      const ClientOptions& options, int& exit_code) {
  auto* update = group.add_subcommand("update", "change a subscription's URL or filters");
  update->footer(
      "Only what is given changes; the cursor, state and secret stay.\n\n"
      "Example: compliancectl webhooks update 7d3e0c2a-41f6-4b8e-9a51-3c2f6e1b0d94 "
      "--url https://grc.example.com/hooks/v2 --all-methods\n");
  update->add_option("name", args->name, "its UUID or webhooks/UUID")->required();
  update->add_option("--url", args->url, "https URL that receives the events");
  update->add_option("--resource-prefix", args->resource_prefix,
                     "only events on resources whose name starts with this; \"\" for all");
  auto* methods = update->add_option("--method", args->methods,
                                     "only events of this method; repeat for more (replaces "
                                     "the list)");
  update->add_flag("--all-methods", args->all_methods, "events of every method")->excludes(methods);
  update->add_option("--etag", args->etag, "only if the subscription still has this etag");
  update->callback([&options, &exit_code, args, update] {
    exit_code = RunWebhookUpdate(options, *args, *update);
  });
}

// `webhooks list`.
void AddListCommand(CLI::App& group, const std::shared_ptr<WebhookArgs>& args,
                    const ClientOptions& options, int& exit_code) {
  auto* list = group.add_subcommand("list", "list subscriptions, oldest first");
  list->footer("Example: compliancectl webhooks list\n");
  list->add_option("--limit", args->limit, "at most this many; default all")
      ->check(CLI::NonNegativeNumber);
  list->callback([&options, &exit_code, args] { exit_code = RunWebhookList(options, *args); });
}

// A subcommand that takes one subscription's name (`get`, and, with --etag, the changes).
void AddNamedCommand(CLI::App& group, const char* name, const char* help, bool takes_etag, Run run,
                     const std::shared_ptr<WebhookArgs>& args, const ClientOptions& options,
                     int& exit_code) {
  auto* command = group.add_subcommand(name, help);
  command->footer(std::string("Example: compliancectl webhooks ") + name + " " + kExampleId + "\n");
  command->add_option("name", args->name, "its UUID or webhooks/UUID")->required();
  if (takes_etag) {
    command->add_option("--etag", args->etag, "only if the subscription still has this etag");
  }
  command->callback([&options, &exit_code, args, run] { exit_code = run(options, *args); });
}

}  // namespace

void AddWebhookCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<WebhookArgs>();
  auto* group =
      app.add_subcommand("webhooks", "push the audit log's events to URLs (admin tokens only)");
  group->alias("webhook");
  group->require_subcommand(1);
  group->footer("Example: compliancectl webhooks list\n");
  AddCreateCommand(*group, args, options, exit_code);
  AddListCommand(*group, args, options, exit_code);
  AddNamedCommand(*group, "get", "show one subscription and how its deliveries go", false,
                  RunWebhookGet, args, options, exit_code);
  AddUpdateCommand(*group, args, options, exit_code);
  AddNamedCommand(*group, "delete", "delete a subscription; deliveries stop", true,
                  RunWebhookDelete, args, options, exit_code);
  AddNamedCommand(*group, "rotate-secret",
                  "make a new signing secret (the old one signs beside it for 24 hours)", true,
                  RunWebhookRotateSecret, args, options, exit_code);
  AddNamedCommand(*group, "resume", "resume a paused subscription where it stopped", true,
                  RunWebhookResume, args, options, exit_code);
}

}  // namespace compliance::cli
