#include "webhook_run.h"

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compliance/v1/webhook.grpc.pb.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::WebhookService;

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string StateWord(const v1::Webhook& w) {
  return w.state() == v1::WEBHOOK_STATE_PAUSED ? "paused" : "active";
}

std::string Filters(const v1::Webhook& w) {
  std::vector<std::string> parts;
  if (!w.resource_prefix().empty()) parts.push_back("resource " + w.resource_prefix() + "*");
  if (!w.methods().empty()) parts.push_back("methods " + absl::StrJoin(w.methods(), ", "));
  return parts.empty() ? "every event" : absl::StrJoin(parts, "; ");
}

std::string WhenSet(bool set, const google::protobuf::Timestamp& time) {
  return set ? FormatTimestamp(time) : "-";
}

void PrintWebhook(const v1::Webhook& w, const std::string& secret) {
  Table table({"field", "value"});
  table.AddRow({"name", w.name()});
  table.AddRow({"url", w.url()});
  table.AddRow({"filters", Filters(w)});
  table.AddRow({"state", StateWord(w)});
  if (w.state() == v1::WEBHOOK_STATE_PAUSED) {
    table.AddRow({"paused", FormatTimestamp(w.pause_time())});
    table.AddRow({"pause reason", w.pause_reason()});
  }
  table.AddRow({"delivered up to", absl::StrCat("auditEvents/", w.delivered_sequence())});
  table.AddRow({"last delivery", WhenSet(w.has_last_delivery_time(), w.last_delivery_time())});
  if (w.failed_attempts() > 0) {
    table.AddRow({"failed attempts", absl::StrCat(w.failed_attempts(), " since ",
                                                  FormatTimestamp(w.first_failure_time()))});
    table.AddRow({"last error", OrDash(w.last_error())});
    table.AddRow({"next attempt", WhenSet(w.has_next_attempt_time(), w.next_attempt_time())});
  }
  table.AddRow({"secret made", FormatTimestamp(w.secret_time())});
  table.AddRow({"created", FormatTimestamp(w.create_time())});
  table.AddRow({"etag", w.etag()});
  if (!secret.empty()) table.AddRow({"secret", secret});
  table.Print(std::cout);
  if (!secret.empty()) {
    std::cerr << "(the secret is shown only now: give it to the receiver, which verifies each "
                 "delivery's webhook-signature with it)\n";
  }
}

template <typename Response>
void PrintWebhookOf(const Response& response) {
  PrintWebhook(response.webhook(), "");
}

template <typename Response>
void PrintWebhookAndSecret(const Response& response) {
  PrintWebhook(response.webhook(), response.secret());
}

}  // namespace

std::string ExpandWebhookName(const std::string& name) {
  if (name.empty() || absl::StrContains(name, '/')) return name;
  return absl::StrCat("webhooks/", name);
}

int RunWebhookCreate(const ClientOptions& options, const WebhookArgs& args) {
  v1::CreateWebhookRequest request;
  v1::Webhook* w = request.mutable_webhook();
  w->set_url(args.url);
  w->set_resource_prefix(args.resource_prefix);
  for (const auto& method : args.methods) w->add_methods(method);
  request.set_request_id(args.request_id);
  return CallAndPrint(options, &WebhookService::Stub::CreateWebhook, request,
                      PrintWebhookAndSecret<v1::CreateWebhookResponse>);
}

int RunWebhookGet(const ClientOptions& options, const WebhookArgs& args) {
  v1::GetWebhookRequest request;
  request.set_name(ExpandWebhookName(args.name));
  return CallAndPrint(options, &WebhookService::Stub::GetWebhook, request,
                      PrintWebhookOf<v1::GetWebhookResponse>);
}

int RunWebhookList(const ClientOptions& options, const WebhookArgs& args) {
  auto stub = WebhookService::NewStub(options.Channel());
  const size_t limit = args.limit > 0 ? static_cast<size_t>(args.limit) : 0;
  return CollectAndPrint(
      options, *stub, &WebhookService::Stub::ListWebhooks, v1::ListWebhooksRequest(), limit,
      [](auto& response) { return response.mutable_webhooks(); },
      [](const v1::ListWebhooksResponse& all, bool more) {
        Table table({"NAME", "URL", "STATE", "DELIVERED UP TO", "LAST ERROR"});
        for (const auto& w : all.webhooks()) {
          table.AddRow({w.name(), Shorten(w.url(), 60), StateWord(w),
                        absl::StrCat(w.delivered_sequence()), Shorten(OrDash(w.last_error()), 40)});
        }
        table.Print(std::cout);
        if (more) std::cerr << "(more webhooks exist; raise --limit to see them)\n";
        if (all.webhooks().empty()) std::cerr << "(no webhooks)\n";
      });
}

int RunWebhookUpdate(const ClientOptions& options, const WebhookArgs& args,
                     const CLI::App& command) {
  v1::UpdateWebhookRequest request;
  v1::Webhook* w = request.mutable_webhook();
  w->set_name(ExpandWebhookName(args.name));
  auto* mask = request.mutable_update_mask();
  if (command.count("--url") > 0) {
    w->set_url(args.url);
    mask->add_paths("url");
  }
  if (command.count("--resource-prefix") > 0) {
    w->set_resource_prefix(args.resource_prefix);
    mask->add_paths("resource_prefix");
  }
  if (command.count("--method") > 0 || args.all_methods) {
    for (const auto& method : args.methods) w->add_methods(method);
    mask->add_paths("methods");
  }
  request.set_etag(args.etag);
  return CallAndPrint(options, &WebhookService::Stub::UpdateWebhook, request,
                      PrintWebhookOf<v1::UpdateWebhookResponse>);
}

int RunWebhookDelete(const ClientOptions& options, const WebhookArgs& args) {
  v1::DeleteWebhookRequest request;
  request.set_name(ExpandWebhookName(args.name));
  request.set_etag(args.etag);
  return CallAndPrint(
      options, &WebhookService::Stub::DeleteWebhook, request,
      [&](const v1::DeleteWebhookResponse&) { std::cout << "deleted " << request.name() << "\n"; });
}

int RunWebhookRotateSecret(const ClientOptions& options, const WebhookArgs& args) {
  v1::RotateWebhookSecretRequest request;
  request.set_name(ExpandWebhookName(args.name));
  request.set_etag(args.etag);
  return CallAndPrint(options, &WebhookService::Stub::RotateWebhookSecret, request,
                      PrintWebhookAndSecret<v1::RotateWebhookSecretResponse>);
}

int RunWebhookResume(const ClientOptions& options, const WebhookArgs& args) {
  v1::ResumeWebhookRequest request;
  request.set_name(ExpandWebhookName(args.name));
  request.set_etag(args.etag);
  return CallAndPrint(options, &WebhookService::Stub::ResumeWebhook, request,
                      PrintWebhookOf<v1::ResumeWebhookResponse>);
}

}  // namespace compliance::cli
