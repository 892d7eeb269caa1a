#include "server_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "domain/signed_note.h"
#include "process.h"

namespace compliance::testing {

std::string ServerBinary() { return COMPLIANCE_SERVER_BINARY; }
std::string CliBinary() { return COMPLIANCECTL_BINARY; }
std::string ProjectRoot() { return COMPLIANCE_PROJECT_ROOT; }

std::chrono::system_clock::time_point DeadlineIn(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

const std::string& TestAuditKeyPath() {
  static const std::string path = [] {
    auto signer = NoteSigner::Generate("compliance-status.test/audit");
    if (!signer.ok()) throw std::runtime_error("cannot make a test audit key");
    char pattern[] = "/tmp/compliance-test-audit-key.XXXXXX";
    const int fd = mkstemp(pattern);
    if (fd < 0) throw std::runtime_error("cannot write a test audit key");
    const std::string text = signer->PrivateKey() + "\n";
    const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    if (!written) throw std::runtime_error("cannot write a test audit key");
    static char made[sizeof pattern];
    std::copy(std::begin(pattern), std::end(pattern), std::begin(made));
    std::atexit([] { unlink(made); });
    return std::string(pattern);
  }();
  return path;
}

std::string TestAuditVerifierKey() {
  std::ifstream in(TestAuditKeyPath());
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  auto signer = NoteSigner::FromPrivateKey(text);
  if (!signer.ok()) throw std::runtime_error("the test audit key does not read back");
  return signer->VerifierKey();
}

namespace {

// The address after `marker` on its line of the server's announcement; empty when absent.
std::string AnnouncedAddress(const std::string& announcement, const std::string& marker) {
  const auto at = announcement.find(marker);
  if (at == std::string::npos) return "";
  const auto end = announcement.find('\n', at);
  return announcement.substr(at + marker.size(), end - at - marker.size());
}

}  // namespace

ServerProcess::ServerProcess(const std::string& database_url, std::vector<std::string> env) {
  env.insert(env.begin(),
             {"DATABASE_URL=" + database_url, "COMPLIANCE_LISTEN=127.0.0.1:0",
              "COMPLIANCE_METRICS_LISTEN=127.0.0.1:0", "COMPLIANCE_HTTP_LISTEN=127.0.0.1:0",
              "COMPLIANCE_HEALTH_INTERVAL=0.2", "COMPLIANCE_SHUTDOWN_DELAY=0",
              "COMPLIANCE_NO_AUTH=true", "COMPLIANCE_AUDIT_SIGNING_KEY=" + TestAuditKeyPath()});
  pid_ = SpawnProcess({ServerBinary(), "serve"}, env, &stdout_fd_);
  // The server announces the port it bound on stdout; wait up to 30 s for that line.
  const std::string marker = "listening on ";
  std::string seen;
  const auto give_up = DeadlineIn(30);
  while (std::chrono::system_clock::now() < give_up) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (poll(&fd, 1, 100) <= 0) continue;
    char buffer[256];
    const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    seen.append(buffer, static_cast<size_t>(n));
    const auto at = seen.find(marker);
    const auto end = seen.find('\n', at);
    if (at != std::string::npos && end != std::string::npos) {
      address_ = seen.substr(at + marker.size(), end - at - marker.size());
      // The metrics and HTTP lines come first.
      metrics_address_ = AnnouncedAddress(seen, "metrics on ");
      http_address_ = AnnouncedAddress(seen, "http on ");
      return;
    }
  }
  Stop(SIGKILL);
  throw std::runtime_error("compliance-server did not start; stdout: " + seen);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGTERM);
}

std::shared_ptr<grpc::Channel> ServerProcess::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

int ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const int code = WaitProcess(pid_);
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return code;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string HttpGet(const std::string& url, double timeout_seconds) {
  const auto result =
      RunProcess({"curl", "-sS", "--fail", "--max-time", std::to_string(timeout_seconds), url});
  return result.exit_code == 0 ? result.out : "";
}

double MetricValue(const std::string& scrape, const std::string& series) {
  const std::string start = series + " ";
  size_t at = scrape.rfind("\n" + start);
  if (at != std::string::npos) {
    ++at;
  } else if (scrape.compare(0, start.size(), start) == 0) {
    at = 0;
  } else {
    return -1;
  }
  return std::strtod(scrape.c_str() + at + start.size(), nullptr);
}

}  // namespace compliance::testing
