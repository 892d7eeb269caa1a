#pragma once

#include <grpcpp/grpcpp.h>
#include <prometheus/collectable.h>
#include <prometheus/exposer.h>

#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "http/http_gateway.h"
#include "metrics/grpc_metrics.h"
#include "server/services.h"

namespace compliance {

/// "host:0" with the port the kernel chose.
std::string BoundAddress(const std::string& listen, int port);

/// The gRPC server with every service, listening; null (after logging why) when it cannot.
std::unique_ptr<grpc::Server> StartGrpc(const Config& config, Services& services,
                                        GrpcServerMetrics& grpc_metrics, int* port);

/// /metrics on its own listener; null (after logging why) when it cannot listen. The exposer
/// holds its sources weakly: the caller keeps them alive while it serves.
std::unique_ptr<prometheus::Exposer> StartMetrics(
    const Config& config, const std::vector<std::shared_ptr<prometheus::Collectable>>& sources);

/// The REST/JSON gateway onto the gRPC server's own services, listening (none when
/// --http-listen is empty); false (after logging why) when it cannot listen.
bool StartHttp(const Config& config, grpc::Server& server, std::unique_ptr<HttpGateway>* gateway,
               std::string* address);

}  // namespace compliance
