#include "server/server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "api/audit_watchers.h"
#include "api/authenticator.h"
#include "api/request_parse_errors.h"
#include "http/http_gateway.h"
#include "metrics/compliance_collector.h"
#include "metrics/degraded_collector.h"
#include "metrics/grpc_metrics.h"
#include "metrics/webhook_collector.h"
#include "server/audit_checkpointer.h"
#include "server/audit_key_admin.h"
#include "server/audit_worker.h"
#include "server/health_monitor.h"
#include "server/identity_provider.h"
#include "server/janitor.h"
#include "server/listeners.h"
#include "server/services.h"
#include "server/webhook_dispatcher.h"
#include "store/connection_pool.h"
#include "store/idempotency_store.h"
#include "store/migrations.h"
#include "store/service_role.h"
#include "store/statements.h"
#include "store/status_store.h"
#include "store/token_store.h"

namespace compliance {
namespace {

sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

absl::Duration Seconds(double seconds) { return absl::Milliseconds(seconds * 1000); }

// Whether a setting read at start-up is usable; logs why when it is not.
bool OkOrLogged(const absl::Status& status) {
  if (!status.ok()) spdlog::critical("{}", std::string(status.message()));
  return status.ok();
}

// Migrates, unless told not to, and warns when the role could rewrite the audit log; false
// (after logging why) when the database cannot be migrated.
bool PrepareDatabase(const Config& config) {
  if (config.migrate_on_start) {
    auto applied = ApplyMigrations(config.database_url, EmbeddedMigrations());
    if (!applied.ok()) {
      spdlog::critical("cannot migrate the database: {}", std::string(applied.status().message()));
      return false;
    }
  }
  if (auto rights = AuditRewriteRights(config.database_url); rights.ok() && !rights->empty()) {
    spdlog::warn(
        "the database role this server connects as {}: it could rewrite the audit log; serve "
        "as a role made with `compliance-server migrate --grant-to ROLE` (README: least "
        "privilege)",
        *rights);
  }
  return true;
}

// The token store that authenticates calls, or null under --no-auth (every caller is then
// anonymous with every right, which is said loudly).
TokenStore* TokensThatAuthenticate(const Config& config, TokenStore& tokens) {
  if (!config.no_auth) return &tokens;
  spdlog::warn("authentication is OFF (--no-auth): every caller may do everything");
  return nullptr;
}

// absl::Mutex checks lock order on every acquisition unless built with NDEBUG, which Debian's
// Abseil is not: a few percent of every call, measured with perf. clang's -Wthread-safety
// checks the annotations at build time, and the unit and integration tests run with the check
// on.
void SkipLockOrderChecks() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

// The bound addresses, in the log and, machine-readable, on stdout: tests and scripts that
// bind port 0 read them (the gRPC line last: once it is out, every listener is up).
void Announce(const std::string& address, const std::string& metrics_address,
              const std::string& http_address) {
  spdlog::info("serving gRPC on {}, /metrics on {}, HTTP {}", address, metrics_address,
               http_address.empty() ? "off" : "on " + http_address);
  std::printf("compliance-server metrics on %s\n", metrics_address.c_str());
  if (!http_address.empty()) std::printf("compliance-server http on %s\n", http_address.c_str());
  std::printf("compliance-server listening on %s\n", address.c_str());
  std::fflush(stdout);
}

// How webhooks are delivered, from the flags.
DeliveryOptions WebhookDeliveryOptions(const Config& config) {
  DeliveryOptions options;
  options.lease = Seconds(config.webhook_lease_seconds);
  options.retry.first_delay = Seconds(config.webhook_retry_min_seconds);
  options.retry.max_delay = Seconds(config.webhook_retry_max_seconds);
  options.retry.pause_after = Seconds(config.webhook_pause_after_seconds);
  options.sender.timeout = Seconds(config.webhook_timeout_seconds);
  options.sender.ca_file = config.webhook_ca_file;
  return options;
}

// What /metrics asks at scrape time. The exposer holds the collectors weakly: the caller
// keeps this vector for as long as it serves.
std::vector<std::shared_ptr<prometheus::Collectable>> MetricSources(
    const Config& config, std::shared_ptr<prometheus::Registry> registry, StatusStore& status_store,
    ConnectionPool& pool, const Clock& clock, const DegradedCounts& degraded,
    const WebhookAttemptCounts& webhook_attempts) {
  const absl::Duration cache = Seconds(config.metrics_cache_seconds);
  return {std::move(registry),
          std::make_shared<ComplianceCollector>(status_store, pool, clock, COMPLIANCE_VERSION,
                                                cache, absl::Milliseconds(750)),
          std::make_shared<DegradedCollector>(degraded),
          std::make_shared<WebhookCollector>(pool, webhook_attempts, cache)};
}

// What runs in the background while the server serves, stopped in order on a signal.
struct BackgroundWork {
  HealthMonitor& monitor;
  Janitor& janitor;
  AuditWorker& audit_worker;
  AuditWatchers& audit_watchers;
  WebhookDispatcher& webhooks;
  HttpGateway* http_gateway;  ///< null when there is no HTTP listener
};

// Waits for SIGINT or SIGTERM, then drains: NOT_SERVING at once, new calls refused after
// the shutdown delay, in-flight calls given the drain timeout.
void DrainOnSignal(const Config& config, grpc::Server& server,
                   grpc::HealthCheckServiceInterface& health, BackgroundWork background) {
  const sigset_t signals = TerminationSignals();
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received {}: NOT_SERVING; refusing new calls in {}s, then draining for up to {}s",
               strsignal(signal_number), config.shutdown_delay_seconds,
               config.drain_timeout_seconds);
  health.Shutdown();  // every service NOT_SERVING, and it stays so
  background.monitor.Stop();
  background.janitor.Stop();
  background.webhooks.Stop();  // each subscription's lease is given up for another replica
  background.audit_worker.Stop();
  background.audit_watchers.Stop();  // watchers end with UNAVAILABLE and resume elsewhere
  // Load balancers and clients watching health move away before calls are refused.
  std::this_thread::sleep_for(absl::ToChronoMilliseconds(Seconds(config.shutdown_delay_seconds)));
  // HTTP requests are calls of the gRPC server: they stop first, while it still answers them.
  if (background.http_gateway) background.http_gateway->Stop();
  server.Shutdown(std::chrono::system_clock::now() +
                  absl::ToChronoMilliseconds(Seconds(config.drain_timeout_seconds)));
}

// Serves until SIGINT or SIGTERM, then drains (DrainOnSignal) and returns.
void ServeUntilSignal(const Config& config, grpc::Server& server, BackgroundWork background) {
  std::thread signal_waiter(
      [&] { DrainOnSignal(config, server, *server.GetHealthCheckService(), background); });
  server.Wait();
  signal_waiter.join();
}

}  // namespace

void BlockTerminationSignals() {
  const sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a dropped database socket must not kill the process
}

int Serve(const Config& config) {
  InstallProtobufLogHandler();
  SkipLockOrderChecks();
  DegradedCounts degraded;
  SystemClock clock;
  auto signer = LoadAuditSigner(config);
  auto identity_provider = MakeIdentityProvider(config.oidc, clock, degraded);
  if (!OkOrLogged(signer.status()) || !OkOrLogged(identity_provider.status())) return 2;
  if (!PrepareDatabase(config)) return 1;

  ConnectionPool pool(config.database_url, config.pool_size, Seconds(config.pool_timeout_seconds),
                      &PrepareStatements, &degraded);
  auto registry = std::make_shared<prometheus::Registry>();
  AuditCheckpointer checkpointer(std::move(*signer), AuditWitnessDir(config.audit_witness_dir),
                                 clock, *registry, degraded);
  AuditWorker audit_worker(config.database_url, absl::Milliseconds(500), pool.changes(),
                           checkpointer, degraded);
  TokenStore token_store(pool);
  Authenticator auth(TokensThatAuthenticate(config, token_store), kTokenCacheTtl, clock,
                     *identity_provider ? &(*identity_provider)->verifier : nullptr);
  AuditWatchers audit_watchers(pool, audit_worker, auth);
  Services services(pool, clock, audit_watchers, auth, config.allow_insecure_webhooks);
  WebhookDispatcher webhooks(pool, audit_worker, clock, WebhookDeliveryOptions(config));
  GrpcServerMetrics grpc_metrics(*registry, Services::Descriptors());
  StatusStore status_store(pool);
  const auto metric_sources =
      MetricSources(config, registry, status_store, pool, clock, degraded, webhooks.counts());
  auto exposer = StartMetrics(config, metric_sources);
  if (!exposer) return 1;
  int port = 0;
  std::unique_ptr<grpc::Server> server = StartGrpc(config, services, grpc_metrics, &port);
  if (!server) return 1;
  std::unique_ptr<HttpGateway> http_gateway;
  std::string http_address;
  if (!StartHttp(config, *server, &http_gateway, &http_address)) return 1;

  HealthMonitor monitor(server->GetHealthCheckService(), Services::Names(), config.database_url,
                        Seconds(config.health_interval_seconds));
  monitor.Start();
  audit_worker.Start([&] {
    audit_watchers.Sealed();
    webhooks.Sealed();
  });
  audit_watchers.Start();
  webhooks.Start();
  IdempotencyStore idempotency_store(pool);
  Janitor janitor(idempotency_store, clock, absl::Hours(24) * config.idempotency_retention_days,
                  absl::Minutes(10));
  janitor.Start();

  Announce(BoundAddress(config.listen, port),
           BoundAddress(config.metrics_listen, exposer->GetListeningPorts().front()), http_address);
  ServeUntilSignal(config, *server,
                   {monitor, janitor, audit_worker, audit_watchers, webhooks, http_gateway.get()});
  spdlog::info("stopped");
  return 0;
}

}  // namespace compliance
