#pragma once

#include "api/authenticator.h"
#include "app/webhook_commands.h"
#include "compliance/v1/webhook.grpc.pb.h"
#include "domain/clock.h"
#include "store/webhook_store.h"

namespace compliance {

/// compliance.v1.WebhookService: reads from the webhook store, mutations through
/// WebhookCommands; every method is the admin's (domain/access.cpp).
class WebhookServiceImpl final : public v1::WebhookService::Service {
 public:
  /// `allow_insecure`: --allow-insecure-webhooks (http to loopback hosts).
  WebhookServiceImpl(WebhookStore& store, WebhookCommands& commands, const Clock& clock,
                     Authenticator& auth, bool allow_insecure)
      : store_(store),
        commands_(commands),
        clock_(clock),
        auth_(auth),
        allow_insecure_(allow_insecure) {}

  grpc::Status CreateWebhook(grpc::ServerContext* context, const v1::CreateWebhookRequest* request,
                             v1::CreateWebhookResponse* response) override;
  grpc::Status GetWebhook(grpc::ServerContext* context, const v1::GetWebhookRequest* request,
                          v1::GetWebhookResponse* response) override;
  grpc::Status ListWebhooks(grpc::ServerContext* context, const v1::ListWebhooksRequest* request,
                            v1::ListWebhooksResponse* response) override;
  grpc::Status UpdateWebhook(grpc::ServerContext* context, const v1::UpdateWebhookRequest* request,
                             v1::UpdateWebhookResponse* response) override;
  grpc::Status DeleteWebhook(grpc::ServerContext* context, const v1::DeleteWebhookRequest* request,
                             v1::DeleteWebhookResponse* response) override;
  grpc::Status RotateWebhookSecret(grpc::ServerContext* context,
                                   const v1::RotateWebhookSecretRequest* request,
                                   v1::RotateWebhookSecretResponse* response) override;
  grpc::Status ResumeWebhook(grpc::ServerContext* context, const v1::ResumeWebhookRequest* request,
                             v1::ResumeWebhookResponse* response) override;

 private:
  WebhookStore& store_;
  WebhookCommands& commands_;
  const Clock& clock_;
  Authenticator& auth_;
  const bool allow_insecure_;
};

}  // namespace compliance
