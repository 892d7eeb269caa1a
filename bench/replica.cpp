#include "replica.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string_view>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "load.h"

extern char** environ;

namespace compliance::bench {
namespace {

constexpr int kChanges = 100;
constexpr char kRequirement[] = "frameworks/iso27001-2022/requirements/5.1.a";

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("no free port for the replica");
  }
  close(fd);
  return ntohs(address.sin_port);
}

// A second compliance-server on the bench's database, for the length of one measurement.
class Replica {
 public:
  explicit Replica(const Target& target) : grpc_(absl::StrCat("127.0.0.1:", FreePort())) {
    std::vector<std::string> args = {target.server_binary, "serve", "--no-migrate", "--listen",
                                     grpc_, "--metrics-listen",
                                     absl::StrCat("127.0.0.1:", FreePort()),
                                     // Stopped at once: nothing is in flight when it stops.
                                     "--shutdown-delay", "0", "--drain-timeout", "1"};
    // Its own environment is the bench's (DATABASE_URL, the audit key), without the REST
    // listener (an empty address turns it off; a server without one ignores it).
    constexpr std::string_view kNoHttp = "COMPLIANCE_HTTP_LISTEN=";
    std::vector<std::string> environment = {std::string(kNoHttp)};
    for (char** entry = environ; *entry != nullptr; ++entry) {
      if (std::string_view(*entry).rfind(kNoHttp, 0) != 0) environment.emplace_back(*entry);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, Pointers(args).data(),
                               Pointers(environment).data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start the replica " + args[0]);
  }
  ~Replica() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  const std::string& grpc() const { return grpc_; }

 private:
  // argv/envp for posix_spawn.
  static std::vector<char*> Pointers(std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (auto& s : strings) pointers.push_back(s.data());
    pointers.push_back(nullptr);
    return pointers;
  }

  std::string grpc_;
  pid_t pid_ = 0;
};

class Requirements {
 public:
  Requirements(const std::string& server, const std::string& token)
      : stub_(v1::RequirementService::NewStub(OwnChannel(server, 0))), token_(token) {}

  grpc::Status Get(v1::Requirement* requirement) {
    grpc::ClientContext context;
    Authorize(context);
    v1::GetRequirementRequest request;
    request.set_name(kRequirement);
    v1::GetRequirementResponse response;
    const grpc::Status status = stub_->GetRequirement(&context, request, &response);
    *requirement = response.requirement();
    return status;
  }

  void SetNotes(const std::string& notes) {
    grpc::ClientContext context;
    Authorize(context);
    v1::UpdateRequirementRequest request;
    request.mutable_requirement()->set_name(kRequirement);
    request.mutable_requirement()->set_notes(notes);
    request.mutable_update_mask()->add_paths("notes");
    v1::UpdateRequirementResponse response;
    const grpc::Status status = stub_->UpdateRequirement(&context, request, &response);
    if (!status.ok()) throw std::runtime_error("UpdateRequirement: " + status.error_message());
  }

 private:
  void Authorize(grpc::ClientContext& context) {
    context.AddMetadata("authorization", "Bearer " + token_);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  }

  std::unique_ptr<v1::RequirementService::Stub> stub_;
  std::string token_;
};

// Reads through `replica` until its notes are `notes`; how long after `since` that was.
double MillisecondsUntilSeen(Requirements& replica, const std::string& notes, absl::Time since) {
  v1::Requirement seen;
  while (true) {
    const grpc::Status status = replica.Get(&seen);
    const absl::Time now = absl::Now();
    if (!status.ok()) throw std::runtime_error("GetRequirement: " + status.error_message());
    if (seen.notes() == notes) return absl::ToDoubleMilliseconds(now - since);
    if (now - since > absl::Seconds(10)) throw std::runtime_error("the replica never saw it");
  }
}

}  // namespace

Row ReplicaVisibilityRow(const Target& target) {
  Replica replica(target);
  Requirements first(target.grpc, target.token), second(replica.grpc(), target.token);
  v1::Requirement ignored;
  for (const absl::Time until = absl::Now() + absl::Seconds(30); !second.Get(&ignored).ok();) {
    if (absl::Now() > until) throw std::runtime_error("the replica did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  static int run = 0;
  ++run;
  std::vector<double> lags;
  for (int i = 0; i < kChanges; ++i) {
    const std::string notes = absl::StrFormat("bench replica run %d change %d", run, i);
    first.SetNotes(notes);
    lags.push_back(MillisecondsUntilSeen(second, notes, absl::Now()));
    // Changes apart, as people make them: each is seen on its own, not in a batch.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double p50 = Quantile(lags, 0.5), p99 = Quantile(lags, 0.99);
  return {"another replica sees a change (UpdateRequirement, then GetRequirement there)",
          absl::StrFormat("p50 %.1f ms, p99 %.1f ms (%d changes)", p50, p99, kChanges),
          "—",
          p99,
          "p99 < 100 ms",
          p99 < 100};
}

}  // namespace compliance::bench
