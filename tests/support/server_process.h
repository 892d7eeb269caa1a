#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace compliance::testing {

/// The real compliance-server binary, started on port 0 against `database_url`.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& database_url, std::vector<std::string> env = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// host:port the server bound for gRPC.
  const std::string& address() const { return address_; }
  /// host:port of its /metrics endpoint.
  const std::string& metrics_address() const { return metrics_address_; }
  /// host:port of its REST/JSON listener; empty when it has none.
  const std::string& http_address() const { return http_address_; }
  /// A new channel to it.
  std::shared_ptr<grpc::Channel> Channel() const;
  pid_t pid() const { return pid_; }

  /// Sends `signal` and waits; returns the exit code (-1 when a signal ended it).
  int Stop(int signal);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
  std::string metrics_address_;
  std::string http_address_;
};

/// The audit signing key every ServerProcess signs with unless told otherwise: made once per
/// test process, in a temporary file.
const std::string& TestAuditKeyPath();
/// Its verifier key, for `compliancectl audit verify --key`.
std::string TestAuditVerifierKey();

/// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();

/// Body of an HTTP GET on loopback (through curl); empty when it failed.
std::string HttpGet(const std::string& url, double timeout_seconds = 5);

/// The value of the series `series` (name and labels, as exposed) in a Prometheus text
/// scrape; -1 when it is absent.
double MetricValue(const std::string& scrape, const std::string& series);

/// Path of a built binary, from the build's compile definitions.
std::string ServerBinary();
std::string CliBinary();
/// The repository root (for scripts/).
std::string ProjectRoot();

/// A deadline `seconds` from now, for client calls.
std::chrono::system_clock::time_point DeadlineIn(double seconds);

}  // namespace compliance::testing
