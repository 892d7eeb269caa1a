#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "client_options.h"

// The `webhooks` subcommands' flag values and what each subcommand does with them, apart from
// their registration (webhook_command.cpp).
namespace compliance::cli {

/// Flag values of the webhook subcommands (only one subcommand runs).
struct WebhookArgs {
  std::string name;
  // create
  std::string url;
  std::string resource_prefix;
  std::vector<std::string> methods;
  std::string request_id;
  // update
  bool all_methods = false;
  // list
  int limit = 0;
  // delete, rotate-secret, resume
  std::string etag;
};

/// `webhooks create`: subscribes and prints the subscription and its secret (shown once).
int RunWebhookCreate(const ClientOptions& options, const WebhookArgs& args);
/// `webhooks get`: prints one subscription and its delivery state.
int RunWebhookGet(const ClientOptions& options, const WebhookArgs& args);
/// `webhooks list`: prints the subscriptions, oldest first.
int RunWebhookList(const ClientOptions& options, const WebhookArgs& args);
/// `webhooks update`: changes the URL or filters given on `command`'s line.
int RunWebhookUpdate(const ClientOptions& options, const WebhookArgs& args,
                     const CLI::App& command);
/// `webhooks delete`: deletes a subscription.
int RunWebhookDelete(const ClientOptions& options, const WebhookArgs& args);
/// `webhooks rotate-secret`: prints the new secret (shown once).
int RunWebhookRotateSecret(const ClientOptions& options, const WebhookArgs& args);
/// `webhooks resume`: resumes a paused subscription.
int RunWebhookResume(const ClientOptions& options, const WebhookArgs& args);

/// `webhooks/{uuid}` for a bare UUID; anything else as it is.
std::string ExpandWebhookName(const std::string& name);

}  // namespace compliance::cli
