#include "server/listeners.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "api/call_interceptor.h"
#include "http/http_routes.h"

namespace compliance {
namespace {

// What gRPC's buffers may take across all calls: room for a few dozen requests at the 4 MiB
// message limit.
constexpr size_t kGrpcMemoryQuotaBytes = 256u << 20;

std::optional<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Plaintext, TLS, or mutual TLS, as configured; null (after logging why) when a file is bad.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const Config& config) {
  if (config.tls_cert.empty()) return grpc::InsecureServerCredentials();
  const auto cert = ReadPem(config.tls_cert);
  const auto key = ReadPem(config.tls_key);
  if (!cert || !key) {
    spdlog::critical("cannot read --tls-cert or --tls-key");
    return nullptr;
  }
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!config.tls_client_ca.empty()) {
    const auto ca = ReadPem(config.tls_client_ca);
    if (!ca) {
      spdlog::critical("cannot read --tls-client-ca");
      return nullptr;
    }
    options.pem_root_certs = *ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

std::string BoundAddress(const std::string& listen, int port) {
  return listen.substr(0, listen.rfind(':') + 1) + std::to_string(port);
}

std::unique_ptr<grpc::Server> StartGrpc(const Config& config, Services& services,
                                        GrpcServerMetrics& grpc_metrics, int* port) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  auto credentials = ServerCredentials(config);
  if (!credentials) return nullptr;
  builder.AddListeningPort(config.listen, credentials, port);
  // gRPC 1.51 inflates a compressed message whole before it checks the size limit, so 1 MiB
  // of gzip can cost a GiB of memory. Compressed requests are refused unread instead (the
  // protocol's UNIMPLEMENTED, with grpc-accept-encoding naming what is accepted: identity).
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  // All calls together may hold at most this much memory in gRPC's buffers; beyond it gRPC
  // stops reading from the network (back pressure) rather than growing.
  grpc::ResourceQuota quota("compliance-server");
  quota.Resize(kGrpcMemoryQuotaBytes);
  builder.SetResourceQuota(quota);
  // Idle sync-server pollers only notice a shutdown when their completion-queue wait ends;
  // the default 10 s wait would hold up every drain.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 200);
  // gRPC's defaults (1–2 idle pollers) make the sync server end and start a thread for
  // most calls under load; keeping more threads polling measured 1.5× the GetRequirement
  // rate at 64 calls in flight (bench/README.md).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 8);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<CallInterceptorFactory>(&grpc_metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  services.Register(builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || *port == 0) {
    spdlog::critical("cannot listen on {}", config.listen);
    return nullptr;
  }
  return server;
}

std::unique_ptr<prometheus::Exposer> StartMetrics(
    const Config& config, const std::vector<std::shared_ptr<prometheus::Collectable>>& sources) {
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(config.metrics_listen);
  } catch (const std::exception& e) {
    spdlog::critical("cannot serve metrics on {}: {}", config.metrics_listen, e.what());
    return nullptr;
  }
  for (const auto& source : sources) exposer->RegisterCollectable(source);
  return exposer;
}

bool StartHttp(const Config& config, grpc::Server& server, std::unique_ptr<HttpGateway>* gateway,
               std::string* address) {
  if (config.http_listen.empty()) return true;
  const auto fail = [&config](const absl::Status& status) {
    spdlog::critical("cannot serve HTTP on {}: {}", config.http_listen,
                     std::string(status.message()));
    return false;
  };
  auto routes = HttpRoutesOf(Services::Descriptors());
  if (!routes.ok()) return fail(routes.status());
  grpc::ChannelArguments arguments;
  // The gateway's calls stay in the process: they need no compression, and the server's own
  // deadline filter enforces their deadlines. Without those filters on the calling side, a
  // REST read took about 5 % less time (bench/README.md).
  arguments.SetInt(GRPC_ARG_MINIMAL_STACK, 1);
  *gateway = std::make_unique<HttpGateway>(server.InProcessChannel(arguments), *std::move(routes));
  const absl::StatusOr<int> port = (*gateway)->Start(config);
  if (!port.ok()) return fail(port.status());
  *address = BoundAddress(config.http_listen, *port);
  return true;
}

}  // namespace compliance
