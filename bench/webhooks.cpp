#include "webhooks.h"

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "baselines.h"
#include "compliance/v1/webhook.grpc.pb.h"
#include "database.h"
#include "load.h"

namespace compliance::bench {
namespace {

constexpr int kSubscriptions = 100;
constexpr int kEventsPerSecond = 1000;

// Takes every delivery at once (204) and keeps how late it came and which it was.
class Receiver {
 public:
  Receiver() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(kSubscriptions + 8); };
    server_.set_keep_alive_max_count(1000000);
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      Take(request.body, request.get_header_value("webhook-id"));
      response.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url(int subscription) const {
    return absl::StrFormat("http://127.0.0.1:%d/hook?subscription=%d", port_, subscription);
  }
  void Results(std::vector<double>* lags_ms, int64_t* distinct) {
    absl::MutexLock lock(&mutex_);
    *lags_ms = lags_ms_;
    *distinct = static_cast<int64_t>(ids_.size());
  }

 private:
  void Take(const std::string& body, const std::string& id) {
    const absl::Time now = absl::Now();
    absl::Time time;
    std::string error;
    const auto event = nlohmann::json::parse(body, nullptr, false);
    if (event.is_discarded() ||
        !absl::ParseTime(absl::RFC3339_full, event.value("time", ""), &time, &error)) {
      return;
    }
    absl::MutexLock lock(&mutex_);
    lags_ms_.push_back(absl::ToDoubleMilliseconds(now - time));
    ids_.insert(id);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mutex_;
  std::vector<double> lags_ms_ ABSL_GUARDED_BY(mutex_);
  std::set<std::string> ids_ ABSL_GUARDED_BY(mutex_);
};

// Each event on bench/NN/…, NN one of the subscriptions' prefixes.
std::string WebhookEventScript() {
  return "INSERT INTO audit_pending (actor, method, resource, after_json) VALUES ('pgbench',"
         " '/compliance.v1.RequirementService/UpdateRequirement',"
         " 'bench/' || lpad(floor(random() * 100)::int::text, 2, '0') || '/x', '{}');\n" +
         std::string(kAsAnotherReplica);
}

// Subscribes (or, with `names` filled, unsubscribes) through the API, as an admin would.
std::vector<std::string> Subscribe(const Target& target, const Receiver& receiver) {
  auto stub = v1::WebhookService::NewStub(OwnChannel(target.grpc, 0));
  std::vector<std::string> names;
  for (int i = 0; i < kSubscriptions; ++i) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + target.token);
    v1::CreateWebhookRequest request;
    request.mutable_webhook()->set_url(receiver.url(i));
    request.mutable_webhook()->set_resource_prefix(absl::StrFormat("bench/%02d/", i));
    v1::CreateWebhookResponse response;
    const grpc::Status status = stub->CreateWebhook(&context, request, &response);
    if (!status.ok()) throw std::runtime_error("CreateWebhook: " + status.error_message());
    names.push_back(response.webhook().name());
  }
  return names;
}

void Unsubscribe(const Target& target, const std::vector<std::string>& names) {
  auto stub = v1::WebhookService::NewStub(OwnChannel(target.grpc, 0));
  for (const auto& name : names) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + target.token);
    v1::DeleteWebhookRequest request;
    request.set_name(name);
    v1::DeleteWebhookResponse response;
    stub->DeleteWebhook(&context, request, &response);
  }
}

}  // namespace

Row WebhookLagRow(const Target& target) {
  Receiver receiver;
  const std::vector<std::string> names = Subscribe(target, receiver);
  pqxx::connection connection(target.database_url);
  WaitForSealing(connection, 300);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // every subscription claimed
  const int64_t head = AuditHead(connection);
  const int seconds = std::max(1, static_cast<int>(target.seconds * 2));
  RunPgbench(target.pgbench, target.database_url, WebhookEventScript(), 4, seconds,
             kEventsPerSecond);
  WaitForSealing(connection, 60);
  const int64_t expected = AuditHead(connection) - head;
  std::vector<double> lags_ms;
  int64_t delivered = 0;
  for (const absl::Time until = absl::Now() + absl::Seconds(30); absl::Now() < until;) {
    receiver.Results(&lags_ms, &delivered);
    if (delivered >= expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Unsubscribe(target, names);
  std::sort(lags_ms.begin(), lags_ms.end());
  const double p99 = Quantile(lags_ms, 0.99);
  return {"webhooks, 100 subscriptions, 1,000 events/s, loopback receiver",
          absl::StrFormat("delivery lag p50 %.1f ms, p99 %.1f ms (%d of %d events delivered)",
                          Quantile(lags_ms, 0.50), p99, delivered, expected),
          "—",
          p99,
          "p99 < 200 ms",
          p99 < 200 && delivered == expected};
}

}  // namespace compliance::bench
