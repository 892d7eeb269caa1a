#include "app/webhook_commands.h"

#include "domain/etag.h"
#include "domain/webhook_signature.h"
#include "store/random_id.h"

namespace compliance {
namespace {

constexpr int kKeyBytes = 32;

absl::StatusOr<std::string> NewSecret() {
  const auto key = RandomBytes(kKeyBytes);
  if (!key) return absl::InternalError("the system's random number generator failed; no secret");
  return WebhookSecret(*key);
}

// Locks the subscription and checks the caller's etag against it.
absl::StatusOr<WebhookWithSecret> LockChecked(UnitOfWork& unit, const std::string& id,
                                              const std::string& etag,
                                              const std::string& resource_etag = "") {
  auto current = LockWebhook(unit, id);
  if (!current.ok()) return current.status();
  if (auto s = CheckEtag(etag, resource_etag, WebhookEtag(current->webhook)); !s.ok()) return s;
  return current;
}

}  // namespace

absl::StatusOr<std::pair<WebhookWithSecret, bool>> WebhookCommands::Create(
    const MutationContext& context, const WebhookFields& fields, const RequestKey& key,
    const AuditFn<Webhook>& audit) const {
  using Result = std::pair<WebhookWithSecret, bool>;
  auto secret = NewSecret();
  if (!secret.ok()) return secret.status();
  SingleMutation<Result> mutation;
  mutation.key = key;
  mutation.replay = [](UnitOfWork& unit,
                       const std::vector<std::string>& ids) -> absl::StatusOr<Result> {
    auto webhook = LoadWebhook(unit, ids.at(0));
    if (!webhook.ok()) return webhook.status();
    return Result{*std::move(webhook), false};
  };
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Result> {
    Webhook webhook = InsertWebhook(unit, fields, *secret);
    journal.audit.push_back(audit(nullptr, webhook));
    return Result{{std::move(webhook), *secret}, true};
  };
  mutation.produced = [](const Result& result) {
    return std::vector<std::string>{result.first.webhook.id};
  };
  return RunMutation(pool_, context, mutation);
}

absl::StatusOr<Webhook> WebhookCommands::Update(
    const MutationContext& context, const std::string& id, const std::string& request_etag,
    const std::string& resource_etag,
    const std::function<absl::StatusOr<WebhookFields>(const WebhookFields&)>& change,
    const AuditFn<Webhook>& audit) const {
  SingleMutation<Webhook> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Webhook> {
    auto current = LockChecked(unit, id, request_etag, resource_etag);
    if (!current.ok()) return current.status();
    auto fields = change(current->webhook.fields);
    if (!fields.ok()) return fields.status();
    Webhook updated = WriteWebhookFields(unit, id, *fields);
    journal.audit.push_back(audit(&current->webhook, updated));
    return updated;
  };
  return RunMutation(pool_, context, mutation);
}

absl::Status WebhookCommands::Delete(const MutationContext& context, const std::string& id,
                                     const std::string& etag, const AuditFn<Webhook>& audit) const {
  SingleMutation<bool> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<bool> {
    auto current = LockChecked(unit, id, etag);
    if (!current.ok()) return current.status();
    DeleteWebhookRow(unit, id);
    // A deletion leaves no resource after it: the entry keeps the last state as before_json.
    AuditEntry entry = audit(nullptr, current->webhook);
    entry.before_json = std::move(entry.after_json);
    entry.after_json.clear();
    journal.audit.push_back(std::move(entry));
    return true;
  };
  return RunMutation(pool_, context, mutation).status();
}

absl::StatusOr<WebhookWithSecret> WebhookCommands::RotateSecret(
    const MutationContext& context, const std::string& id, const std::string& etag,
    const AuditFn<Webhook>& audit) const {
  auto secret = NewSecret();
  if (!secret.ok()) return secret.status();
  SingleMutation<WebhookWithSecret> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<WebhookWithSecret> {
    auto current = LockChecked(unit, id, etag);
    if (!current.ok()) return current.status();
    Webhook rotated = WriteWebhookSecret(unit, id, *secret, kSecretOverlap);
    journal.audit.push_back(audit(&current->webhook, rotated));
    return WebhookWithSecret{std::move(rotated), *secret};
  };
  return RunMutation(pool_, context, mutation);
}

absl::StatusOr<Webhook> WebhookCommands::Resume(const MutationContext& context,
                                                const std::string& id, const std::string& etag,
                                                const AuditFn<Webhook>& audit) const {
  SingleMutation<Webhook> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Webhook> {
    auto current = LockChecked(unit, id, etag);
    if (!current.ok()) return current.status();
    if (auto s = RequirePaused(current->webhook); !s.ok()) return s;
    Webhook resumed = WriteWebhookResumed(unit, id);
    journal.audit.push_back(audit(&current->webhook, resumed));
    return resumed;
  };
  return RunMutation(pool_, context, mutation);
}

}  // namespace compliance
