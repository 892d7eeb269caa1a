#include "api/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "api/action_service.h"
#include "api/evidence_service.h"
#include "api/health_monitor.h"
#include "api/janitor.h"
#include "api/logging_interceptor.h"
#include "api/requirement_service.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "store/action_store.h"
#include "store/connection_pool.h"
#include "store/evidence_store.h"
#include "store/idempotency_store.h"
#include "store/migrations.h"
#include "store/requirement_store.h"
#include "store/statements.h"

namespace compliance {
namespace {

sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// "host:0" with the port the kernel chose.
std::string BoundAddress(const std::string& listen, int port) {
  return listen.substr(0, listen.rfind(':') + 1) + std::to_string(port);
}

absl::Duration Seconds(double seconds) { return absl::Milliseconds(seconds * 1000); }

}  // namespace

void BlockTerminationSignals() {
  const sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a dropped database socket must not kill the process
}

int Serve(const Config& config) {
  if (config.migrate_on_start) {
    auto applied = ApplyMigrations(config.database_url, EmbeddedMigrations());
    if (!applied.ok()) {
      spdlog::critical("cannot migrate the database: {}", std::string(applied.status().message()));
      return 1;
    }
  }

  ConnectionPool pool(config.database_url, config.pool_size, Seconds(config.pool_timeout_seconds),
                      &PrepareStatements);
  SystemClock clock;
  RequirementStore requirement_store(pool);
  RequirementServiceImpl requirement_service(requirement_store, clock);
  EvidenceStore evidence_store(pool);
  EvidenceServiceImpl evidence_service(evidence_store, clock);
  ActionStore action_store(pool);
  ActionServiceImpl action_service(action_store, clock);
  // Implemented by later releases; until then their RPCs answer UNIMPLEMENTED.
  v1::ReportService::Service report_service;
  v1::AuditService::Service audit_service;

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(), &port);
  // Idle sync-server pollers only notice a shutdown when their completion-queue wait ends;
  // the default 10 s wait would hold up every drain.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 200);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<LoggingInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&requirement_service);
  builder.RegisterService(&evidence_service);
  builder.RegisterService(&action_service);
  builder.RegisterService(&report_service);
  builder.RegisterService(&audit_service);
  // Linked in so that reflection can describe grpc.health.v1.Health to tools like grpcurl.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    spdlog::critical("cannot listen on {}", config.listen);
    return 1;
  }

  auto* health = server->GetHealthCheckService();
  HealthMonitor monitor(
      health,
      {v1::RequirementService::service_full_name(), v1::EvidenceService::service_full_name(),
       v1::ActionService::service_full_name(), v1::ReportService::service_full_name(),
       v1::AuditService::service_full_name()},
      config.database_url, Seconds(config.health_interval_seconds));
  monitor.Start();
  IdempotencyStore idempotency_store(pool);
  Janitor janitor(idempotency_store, clock, absl::Hours(24) * config.idempotency_retention_days,
                  absl::Minutes(10));
  janitor.Start();

  const std::string address = BoundAddress(config.listen, port);
  spdlog::info("serving gRPC on {}", address);
  // Machine-readable, on stdout: tests and scripts that bind port 0 read it.
  std::printf("compliance-server listening on %s\n", address.c_str());
  std::fflush(stdout);

  std::thread signal_waiter([&] {
    const sigset_t signals = TerminationSignals();
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    spdlog::info("received {}: NOT_SERVING; refusing new calls in {}s, then draining for up to {}s",
                 strsignal(signal_number), config.shutdown_delay_seconds,
                 config.drain_timeout_seconds);
    health->Shutdown();  // every service NOT_SERVING, and it stays so
    monitor.Stop();
    janitor.Stop();
    // Load balancers and clients watching health move away before calls are refused.
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(Seconds(config.shutdown_delay_seconds)));
    server->Shutdown(std::chrono::system_clock::now() +
                     absl::ToChronoMilliseconds(Seconds(config.drain_timeout_seconds)));
  });
  server->Wait();
  signal_waiter.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace compliance
