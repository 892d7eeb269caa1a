#include "rest.h"

#include <civetweb.h>
#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_format.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "http/event_loop_http_server.h"
#include "load.h"
#include "wrk.h"

namespace compliance::bench {
namespace {

namespace v1 = compliance::v1;

constexpr char kRequirement[] = "frameworks/iso27001-2022/requirements/5.1.a";

// wrk's requests: TrainingRecord's content as JSON, a distinct record each (per thread, per n).
std::string CreateEvidenceLua() {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const std::string collect = absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(now - 86400), absl::UTCTimeZone());
  const std::string expire = absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(now + 300 * 86400), absl::UTCTimeZone());
  return absl::StrFormat(R"lua(
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
  n = n + 1
  local body = string.format('{"requirements":["frameworks/iso27001-2022/requirements/5.1.g"],' ..
    '"kind":"EVIDENCE_KIND_TRAINING_RECORD","title":"Security awareness training 2026",' ..
    '"uri":"https://hr.example.com/training/records/bench-rest-%%d-%%d","source":"bench-rest",' ..
    '"externalId":"training-%%d-%%d-%%d","collectTime":"%s","expireTime":"%s",' ..
    '"labels":{"department":"finance"}}', id, n, id, n, %d)
  return wrk.format("POST", "/v1/evidence", nil, body)
end
)lua",
                         collect, expire, now);
}

std::string Throughput(double per_second, double p50_ms, double p99_ms, const char* unit) {
  return absl::StrFormat("%.0f %s, p50 %.2f ms, p99 %.2f ms", per_second, unit, p50_ms, p99_ms);
}

}  // namespace

std::vector<Row> RestRows(const Target& target) {
  const std::string base = "http://" + target.http;
  const WrkResult rest_get = RunWrk(base + "/v1/" + kRequirement, 64, target.seconds, target.token);
  v1::GetRequirementRequest get;
  get.set_name(kRequirement);
  const LoadResult grpc_get = Drive<v1::GetRequirementRequest>(
      target.grpc, target.token,
      {.in_flight = 64, .threads = kClientThreads, .duration = absl::Seconds(target.seconds)},
      MethodPath<v1::RequirementService>("GetRequirement"), [&] { return get; });

  const WrkResult rest_create =
      RunWrk(base + "/v1/evidence", 16, target.seconds, target.token, CreateEvidenceLua());
  std::atomic<int64_t> n{0};
  const LoadResult grpc_create = Drive<v1::CreateEvidenceRequest>(
      target.grpc, target.token,
      {.in_flight = 16, .threads = kClientThreads, .duration = absl::Seconds(target.seconds)},
      MethodPath<v1::EvidenceService>("CreateEvidence"),
      [&] { return TrainingRecord("bench-rest-grpc", n++); });
  return {
      RatioRow(
          "REST GetRequirement, 64 connections",
          Throughput(rest_get.requests_per_second, rest_get.p50_ms, rest_get.p99_ms, "calls/s"),
          "gRPC GetRequirement, 64 in flight: " +
              Throughput(grpc_get.CallsPerSecond(), grpc_get.p50_ms, grpc_get.p99_ms, "calls/s"),
          rest_get.requests_per_second / grpc_get.CallsPerSecond(), 0.5),
      RatioRow("REST CreateEvidence, 16 connections",
               Throughput(rest_create.requests_per_second, rest_create.p50_ms, rest_create.p99_ms,
                          "records/s"),
               "gRPC CreateEvidence, 16 in flight: " + Throughput(grpc_create.CallsPerSecond(),
                                                                  grpc_create.p50_ms,
                                                                  grpc_create.p99_ms, "records/s"),
               rest_create.requests_per_second / grpc_create.CallsPerSecond(), 0.9)};
}

namespace {

constexpr char kHello[] = R"({"status":"SERVING"})";

int CivetwebHello(mg_connection* connection, void* /*data*/) {
  mg_send_http_ok(connection, "application/json", sizeof kHello - 1);
  mg_write(connection, kHello, sizeof kHello - 1);
  return 200;
}

// civetweb as prometheus-cpp runs it, on a free port; its requests/s under wrk.
WrkResult MeasureCivetweb(double seconds) {
  const char* options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "64", nullptr};
  mg_context* context = mg_start(nullptr, nullptr, options);
  if (!context) throw std::runtime_error("civetweb did not start");
  mg_set_request_handler(context, "/healthz", CivetwebHello, nullptr);
  mg_server_port ports[1];
  const int found = mg_get_server_ports(context, 1, ports);
  WrkResult result;
  try {
    if (found < 1) throw std::runtime_error("civetweb has no port");
    result = RunWrk(absl::StrFormat("http://127.0.0.1:%d/healthz", ports[0].port), 64, seconds, "");
  } catch (...) {
    mg_stop(context);
    throw;
  }
  mg_stop(context);
  return result;
}

// cpp-httplib as the REST listener ran it before the event loop (a pool of 64 threads, a
// thread per connection, keep-alive, no Nagle, a listen queue widened from the library's 5).
struct ListeningSocket : httplib::Server {
  static void Widen(httplib::Server& server) {
    ::listen(server.*(&ListeningSocket::svr_sock_), SOMAXCONN);
  }
};

WrkResult MeasureHttplib(double seconds) {
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  server.set_keep_alive_max_count(100000);
  server.set_tcp_nodelay(true);
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(kHello, "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ListeningSocket::Widen(server);
  std::thread listener([&] { server.listen_after_bind(); });
  WrkResult result;
  try {
    result = RunWrk(absl::StrFormat("http://127.0.0.1:%d/healthz", port), 64, seconds, "");
  } catch (...) {
    server.stop();
    listener.join();
    throw;
  }
  server.stop();
  listener.join();
  return result;
}

// The plain-TCP listener as the gateway runs it (Boost.Beast on two event-loop threads).
WrkResult MeasureEventLoop(double seconds) {
  EventLoopHttpServer server(
      [](httplib::Request, HttpRespond respond) {
        httplib::Response response;
        response.set_content(kHello, "application/json");
        respond(std::move(response));
      },
      {.max_body_bytes = 8u << 20,
       .keep_alive = absl::Seconds(5),
       .read = absl::Seconds(5),
       .write = absl::Seconds(5)});
  const auto port = server.Start("127.0.0.1", 0, 2);
  if (!port.ok()) throw std::runtime_error(std::string(port.status().message()));
  return RunWrk(absl::StrFormat("http://127.0.0.1:%d/healthz", *port), 64, seconds, "");
}

}  // namespace

Row HttpLibraryRow(const Target& target) {
  const WrkResult beast = MeasureEventLoop(target.seconds);
  const WrkResult httplib = MeasureHttplib(target.seconds);
  const WrkResult civetweb = MeasureCivetweb(target.seconds);
  return RatioRow(
      "HTTP library: Boost.Beast on the listener's event loop, a small JSON answer, 64 "
      "connections",
      Throughput(beast.requests_per_second, beast.p50_ms, beast.p99_ms, "calls/s"),
      "civetweb, the same: " +
          Throughput(civetweb.requests_per_second, civetweb.p50_ms, civetweb.p99_ms, "calls/s") +
          "; cpp-httplib, a thread per connection: " +
          Throughput(httplib.requests_per_second, httplib.p50_ms, httplib.p99_ms, "calls/s"),
      beast.requests_per_second / civetweb.requests_per_second, 0.8);
}

}  // namespace compliance::bench
