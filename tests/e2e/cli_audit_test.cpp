// compliancectl audit: the real CLI against the real server and a fresh database.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "eventually.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using nlohmann::json;

constexpr char kUpdateRequirement[] = "/compliance.v1.RequirementService/UpdateRequirement";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string RequirementName(const std::string& id) {
  return "frameworks/iso27001-2022/requirements/" + id;
}

// The lines of `text`, without their line breaks.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// int64 fields are strings in proto JSON.
int64_t Sequence(const json& event) { return std::stoll(event.at("sequence").get<std::string>()); }

// The sequences in `lines` of `audit follow -o json`, which must each be a JSON object.
std::vector<int64_t> FollowedSequences(const std::vector<std::string>& lines) {
  std::vector<int64_t> sequences;
  for (const auto& line : lines) {
    const json message = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(message.is_object()) << line;
    if (!message.is_object()) continue;
    sequences.push_back(Sequence(message.at("auditEvent")));
  }
  return sequences;
}

std::vector<int64_t> Range(int64_t first, int64_t last) {
  std::vector<int64_t> sequences;
  for (int64_t s = first; s <= last; ++s) sequences.push_back(s);
  return sequences;
}

ProcessResult RunCli(const std::string& address, std::vector<std::string> args) {
  args.insert(args.begin(), CliBinary());
  return RunProcess(args, {"COMPLIANCE_SERVER=" + address});
}

// One audit event: changes the notes of requirement `id` through the CLI.
void ChangeNotes(const std::string& address, const std::string& id, const std::string& notes) {
  const auto result = RunCli(address, {"requirements", "update", id, "--notes", notes});
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

// The events of `audit list -o json <filters>`.
json ListJson(const std::string& address, std::vector<std::string> filters) {
  filters.insert(filters.begin(), {"-o", "json", "audit", "list"});
  const auto result = RunCli(address, filters);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return json::array();
  const json list = json::parse(result.out);
  return list.contains("auditEvents") ? list.at("auditEvents") : json::array();
}

// Events are sealed asynchronously: lists until at least `count` events show (up to 15 s).
json AwaitEvents(const std::string& address, size_t count) {
  const auto give_up = DeadlineIn(15);
  while (true) {
    json events = ListJson(address, {});
    if (events.size() >= count || std::chrono::system_clock::now() > give_up) return events;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// `compliancectl ... audit follow ...` running in the background: its stdout is read as it
// comes, its stderr goes to a file.
class Follower {
 public:
  Follower(const std::string& address, const std::vector<std::string>& args,
           const std::string& err_path)
      : err_path_(err_path) {
    // The shell only redirects stderr, then becomes the CLI (same pid).
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>\"$FOLLOW_ERR\"",
                                     CliBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = SpawnProcess(argv, {"COMPLIANCE_SERVER=" + address, "FOLLOW_ERR=" + err_path}, &fd_);
  }
  ~Follower() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      WaitProcess(pid_);
    }
    if (fd_ >= 0) close(fd_);
  }
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // Reads stdout until it holds `count` whole lines, it closed, or `seconds` passed.
  std::vector<std::string> ReadLines(size_t count, double seconds) {
    const auto give_up = DeadlineIn(seconds);
    while (fd_ >= 0 && static_cast<size_t>(std::count(out_.begin(), out_.end(), '\n')) < count &&
           std::chrono::system_clock::now() < give_up) {
      pollfd fd{fd_, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(fd_, buffer, sizeof buffer);
      if (n <= 0) {
        close(fd_);
        fd_ = -1;
        break;
      }
      out_.append(buffer, static_cast<size_t>(n));
    }
    return Lines(out_.substr(0, out_.rfind('\n') + 1));
  }

  void Signal(int signal_number) const { kill(pid_, signal_number); }

  // Waits up to `seconds` for it to end and returns its exit code; -1 when a signal ended it,
  // -2 when it was still running (it is killed then).
  int Wait(double seconds) {
    ReadLines(std::numeric_limits<size_t>::max(), seconds);  // until stdout closes
    const auto give_up = DeadlineIn(fd_ >= 0 ? 0 : 5);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::system_clock::now() > give_up) {
        kill(pid_, SIGKILL);
        WaitProcess(pid_);
        pid_ = -1;
        return -2;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // All of stdout read so far.
  const std::string& out() const { return out_; }
  // What it wrote on stderr so far.
  std::string err() const {
    std::ifstream in(err_path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string err_path_;
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
};

class CliAuditTest : public ::testing::Test {
 protected:
  CliAuditTest() {
    char pattern[] = "/tmp/cli-audit-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~CliAuditTest() override { std::filesystem::remove_all(dir_); }

  ProcessResult Cli(std::vector<std::string> args) {
    return RunCli(server_.address(), std::move(args));
  }
  std::unique_ptr<Follower> Follow(const std::vector<std::string>& args,
                                   const std::string& address = "") {
    return std::make_unique<Follower>(address.empty() ? server_.address() : address, args,
                                      dir_ + "/follow-" + std::to_string(++followers_) + ".err");
  }
  // Three changes: the notes of 5.1.a, the owner of 5.1.b, the notes of 5.1.a again; waits
  // until their events are sealed.
  void ThreeChanges() {
    ChangeNotes(server_.address(), "5.1.a", "first");
    const auto owner = Cli({"requirements", "update", "5.1.b", "--owner", "ciso@example.com"});
    ASSERT_EQ(owner.exit_code, 0) << owner.err;
    ChangeNotes(server_.address(), "5.1.a", "second");
    ASSERT_EQ(AwaitEvents(server_.address(), 3).size(), 3u);
  }

  std::string dir_;
  int followers_ = 0;
  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(CliAuditTest, ListShowsChangesInOrder) {
  ThreeChanges();
  const json events = ListJson(server_.address(), {});
  ASSERT_EQ(events.size(), 3u) << events;
  const std::vector<std::string> resources = {RequirementName("5.1.a"), RequirementName("5.1.b"),
                                              RequirementName("5.1.a")};
  for (size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    EXPECT_EQ(Sequence(e), static_cast<int64_t>(i + 1)) << e;
    EXPECT_EQ(e.at("name"), "auditEvents/" + std::to_string(i + 1));
    EXPECT_EQ(e.at("method"), kUpdateRequirement);
    EXPECT_EQ(e.at("resource"), resources[i]);
    EXPECT_EQ(e.at("actor"), "anonymous");
    EXPECT_EQ(e.at("hash").get<std::string>().size(), 64u);
    EXPECT_EQ(e.at("prevHash"), i == 0 ? json(std::string(64, '0')) : events[i - 1].at("hash"));
  }
  EXPECT_TRUE(Contains(events[0].at("afterJson"), "first")) << events[0];
  EXPECT_TRUE(Contains(events[1].at("afterJson"), "ciso@example.com")) << events[1];
  EXPECT_TRUE(Contains(events[2].at("beforeJson"), "first")) << events[2];
  EXPECT_TRUE(Contains(events[2].at("afterJson"), "second")) << events[2];

  // The table: a header, then one row per event in ascending order, the method's short name.
  const auto table = Cli({"audit", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const auto lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 4u) << table.out;
  size_t at = 0;
  for (const char* column : {"SEQ", "TIME", "ACTOR", "METHOD", "RESOURCE"}) {
    const size_t found = lines[0].find(column, at);
    ASSERT_NE(found, std::string::npos) << column << " in " << lines[0];
    at = found;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].substr(0, lines[i].find(' ')), std::to_string(i)) << table.out;
    EXPECT_TRUE(Contains(lines[i], " UpdateRequirement ")) << lines[i];
    EXPECT_TRUE(Contains(lines[i], "anonymous")) << lines[i];
    EXPECT_TRUE(Contains(lines[i], resources[i - 1])) << lines[i];
    EXPECT_TRUE(Contains(lines[i], events[i - 1].at("time").get<std::string>().substr(0, 19)))
        << lines[i];
  }
  EXPECT_FALSE(Contains(table.out, "RequirementService/")) << table.out;

  // Filters.
  const auto sequences = [&](std::vector<std::string> filters) {
    std::vector<int64_t> result;
    for (const auto& e : ListJson(server_.address(), std::move(filters))) {
      result.push_back(Sequence(e));
    }
    return result;
  };
  EXPECT_EQ(sequences({"--resource", "5.1.a"}), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(sequences({"--resource", RequirementName("5.1.b")}), (std::vector<int64_t>{2}));
  EXPECT_EQ(sequences({"--after", "1"}), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(sequences({"--after", "1", "--resource", "5.1.a"}), (std::vector<int64_t>{3}));
  EXPECT_TRUE(sequences({"--resource", "5.1.h"}).empty());

  const auto limited = Cli({"-o", "json", "audit", "list", "--limit", "2"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  const json page = json::parse(limited.out);
  EXPECT_EQ(page.at("auditEvents").size(), 2u);
  EXPECT_FALSE(page.at("nextPageToken").get<std::string>().empty());
  EXPECT_EQ(
      json::parse(Cli({"-o", "json", "audit", "list", "--limit", "3"}).out).at("nextPageToken"),
      "");
  const auto limited_table = Cli({"audit", "list", "--limit", "2"});
  ASSERT_EQ(limited_table.exit_code, 0) << limited_table.err;
  EXPECT_EQ(Lines(limited_table.out).size(), 3u) << limited_table.out;
  EXPECT_TRUE(Contains(limited_table.err, "--limit")) << limited_table.err;
  const auto none = Cli({"audit", "list", "--after", "3"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_TRUE(Contains(none.err, "no audit events match")) << none.err;
}

TEST_F(CliAuditTest, ListPagesThroughMoreThanOnePage) {
  std::string csv = "requirements,kind,title,uri,collect_time\n";
  for (int i = 0; i < 1001; ++i) {
    csv += "5.1.d,role-assignment,Role " + std::to_string(i) + ",https://hr.example/r/" +
           std::to_string(i) + ",2026-05-01T00:00:00Z\n";
  }
  const std::string path = dir_ + "/roles.csv";
  std::ofstream(path) << csv;
  const auto import = Cli({"evidence", "import", path});
  ASSERT_EQ(import.exit_code, 0) << import.err;

  const json events = AwaitEvents(server_.address(), 1001);
  ASSERT_EQ(events.size(), 1001u);  // a page holds at most 1000
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(Sequence(events[i]), static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(ListJson(server_.address(), {"--limit", "1001"}).size(), 1001u);
  const auto table = Cli({"audit", "list", "--after", "999"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  ASSERT_EQ(Lines(table.out).size(), 3u) << table.out;
  EXPECT_TRUE(Contains(Lines(table.out)[2], "CreateEvidence")) << table.out;
}

TEST_F(CliAuditTest, FollowReplaysThenTailsLiveWithoutADeadline) {
  ThreeChanges();

  // --count ends it: the header, then the events in order.
  auto replay = Follow({"audit", "follow", "--count", "3", "--after", "0"});
  ASSERT_EQ(replay->Wait(30), 0) << replay->err();
  const auto lines = Lines(replay->out());
  ASSERT_EQ(lines.size(), 4u) << replay->out();
  EXPECT_EQ(lines[0].substr(0, 3), "SEQ") << lines[0];
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].substr(0, lines[i].find(' ')), std::to_string(i)) << replay->out();
    EXPECT_TRUE(Contains(lines[i], "UpdateRequirement")) << lines[i];
  }
  EXPECT_TRUE(Contains(lines[2], RequirementName("5.1.b"))) << lines[2];

  // JSON Lines: one WatchAuditEventsResponse per line, from after the cursor.
  auto json_lines = Follow({"-o", "json", "audit", "follow", "--after", "1", "--count", "2"});
  ASSERT_EQ(json_lines->Wait(30), 0) << json_lines->err();
  EXPECT_EQ(FollowedSequences(Lines(json_lines->out())), Range(2, 3)) << json_lines->out();
  const json first = json::parse(Lines(json_lines->out()).at(0));
  EXPECT_EQ(first.at("auditEvent").at("resource"), RequirementName("5.1.b"));
  EXPECT_EQ(first.at("auditEvent").at("method"), kUpdateRequirement);

  // Live: it waits for new events for longer than --timeout, which bounds calls, not the stream.
  auto live =
      Follow({"--timeout", "1s", "-o", "json", "audit", "follow", "--after", "3", "--count", "2"});
  EXPECT_TRUE(live->ReadLines(1, 2.5).empty()) << live->out();
  ChangeNotes(server_.address(), "5.1.c", "live one");
  EXPECT_EQ(FollowedSequences(live->ReadLines(1, 15)), Range(4, 4)) << live->err();
  ChangeNotes(server_.address(), "5.1.c", "live two");
  ASSERT_EQ(live->Wait(30), 0) << live->err();
  const auto live_lines = Lines(live->out());
  EXPECT_EQ(FollowedSequences(live_lines), Range(4, 5)) << live->out();
  ASSERT_EQ(live_lines.size(), 2u);
  EXPECT_TRUE(Contains(live_lines[1], "live two")) << live_lines[1];
  EXPECT_EQ(live->err(), "");
}

TEST_F(CliAuditTest, CtrlCEndsFollowWithExitZero) {
  ChangeNotes(server_.address(), "5.1.a", "one");
  auto follow = Follow({"audit", "follow"});
  ASSERT_EQ(follow->ReadLines(2, 15).size(), 2u) << follow->err();  // the header and event 1
  follow->Signal(SIGINT);
  EXPECT_EQ(follow->Wait(10), 0) << follow->err();
  EXPECT_FALSE(Contains(follow->err(), "error")) << follow->err();
}

TEST_F(CliAuditTest, FollowSurvivesAServerRestart) {
  // Follow talks to servers A and then B on one fixed port; server_ (another port, same
  // database) takes a change while neither runs.
  const std::string listen = "127.0.0.1:" + std::to_string(FreePort());
  auto a = std::make_unique<ServerProcess>(db_.url(),
                                           std::vector<std::string>{"COMPLIANCE_LISTEN=" + listen});
  ASSERT_EQ(a->address(), listen);
  ChangeNotes(listen, "5.1.a", "before 1");
  ChangeNotes(listen, "5.1.b", "before 2");

  auto follow = Follow({"-o", "json", "audit", "follow", "--after", "0", "--count", "6"}, listen);
  ASSERT_EQ(follow->ReadLines(2, 15).size(), 2u) << follow->err();
  EXPECT_EQ(a->Stop(SIGTERM), 0);
  a.reset();

  ChangeNotes(server_.address(), "5.1.c", "while down");
  ASSERT_EQ(AwaitEvents(server_.address(), 3).size(), 3u);
  // It retries while nothing listens: wait until it has been refused twice.
  const std::string refused = "cannot reach " + listen;
  EXPECT_TRUE(Eventually([&] {
    const std::string err = follow->err();
    const size_t first = err.find(refused);
    return first != std::string::npos && err.find(refused, first + 1) != std::string::npos;
  })) << follow->err();
  EXPECT_EQ(follow->ReadLines(3, 0.1).size(), 2u) << "it cannot see event 3 yet";

  ServerProcess b(db_.url(), {"COMPLIANCE_LISTEN=" + listen});
  ASSERT_EQ(b.address(), listen);
  EXPECT_EQ(FollowedSequences(follow->ReadLines(3, 20)), Range(1, 3)) << follow->err();
  ChangeNotes(listen, "5.1.d", "after 4");
  ChangeNotes(listen, "5.1.e", "after 5");
  ChangeNotes(listen, "5.1.f", "after 6");
  ASSERT_EQ(follow->Wait(30), 0) << follow->err();

  const auto lines = Lines(follow->out());
  EXPECT_EQ(FollowedSequences(lines), Range(1, 6)) << follow->out();
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(json::parse(lines[i]).at("auditEvent").at("prevHash"),
              json::parse(lines[i - 1]).at("auditEvent").at("hash"));
  }
  const std::string err = follow->err();
  EXPECT_TRUE(Contains(err, "UNAVAILABLE")) << err;
  EXPECT_TRUE(Contains(err, "reconnecting in 200ms")) << err;
  EXPECT_TRUE(Contains(err, "reconnected to " + listen + "; resuming after sequence 2")) << err;
  EXPECT_FALSE(Contains(err, "warning")) << err;
}

TEST_F(CliAuditTest, FollowSaysWhenASequenceIsMissing) {
  ThreeChanges();
  db_.Exec("SET session_replication_role = replica; DELETE FROM audit_events WHERE sequence = 2");
  auto follow = Follow({"-o", "json", "audit", "follow", "--after", "0", "--count", "2"});
  ASSERT_EQ(follow->Wait(30), 0) << follow->err();
  EXPECT_EQ(FollowedSequences(Lines(follow->out())), (std::vector<int64_t>{1, 3}));
  EXPECT_TRUE(Contains(follow->err(), "event 2 is missing")) << follow->err();
}

TEST_F(CliAuditTest, VerifyExitsThreeWhenTheLogWasTamperedWith) {
  ThreeChanges();
  const auto intact = Cli({"audit", "verify"});
  EXPECT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_EQ(intact.out, "intact: 3 events verified\n");
  const auto intact_json = Cli({"-o", "json", "audit", "verify"});
  ASSERT_EQ(intact_json.exit_code, 0) << intact_json.err;
  const json report = json::parse(intact_json.out);
  EXPECT_EQ(report.at("intact"), true);
  EXPECT_EQ(report.at("verifiedEvents"), "3");
  EXPECT_EQ(report.at("firstBrokenSequence"), "0");

  db_.Exec(
      "SET session_replication_role = replica; "
      "UPDATE audit_events SET after_json = '{}' WHERE sequence = 2");
  const auto broken = Cli({"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 3) << broken.err;
  EXPECT_EQ(broken.out.rfind("BROKEN at sequence 2: ", 0), 0u) << broken.out;
  EXPECT_GT(Lines(broken.out).at(0).size(), std::string("BROKEN at sequence 2: ").size());
  const auto broken_json = Cli({"-o", "json", "audit", "verify"});
  EXPECT_EQ(broken_json.exit_code, 3) << broken_json.err;
  const json bad = json::parse(broken_json.out);
  EXPECT_EQ(bad.at("intact"), false);
  EXPECT_EQ(bad.at("firstBrokenSequence"), "2");
  EXPECT_FALSE(bad.at("detail").get<std::string>().empty());
}

TEST_F(CliAuditTest, UsageErrorsExitTwoAndServerErrorsOne) {
  EXPECT_EQ(Cli({"audit"}).exit_code, 2);
  EXPECT_EQ(Cli({"audit", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(Cli({"audit", "list", "--limit", "-1"}).exit_code, 2);
  EXPECT_EQ(Cli({"audit", "list", "--after", "-1"}).exit_code, 2);
  EXPECT_EQ(Cli({"audit", "list", "--after", "many"}).exit_code, 2);
  const auto uuid = Cli({"audit", "list", "--resource", "0b6f3c1e-9a43-4c57-8a1e-2f1d7c9e5b10"});
  EXPECT_EQ(uuid.exit_code, 2);
  EXPECT_TRUE(Contains(uuid.err, "evidence/0b6f3c1e")) << uuid.err;
  EXPECT_EQ(Cli({"audit", "follow", "--count", "-1"}).exit_code, 2);
  EXPECT_EQ(Cli({"audit", "verify", "extra"}).exit_code, 2);
  for (const char* command : {"list", "follow", "verify"}) {
    const auto help = Cli({"audit", command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    const std::string example = help.out.substr(help.out.find("Example: compliancectl "));
    EXPECT_TRUE(Contains(example, "audit " + std::string(command))) << help.out;
    EXPECT_EQ(example.back(), '\n');
  }

  for (const char* command : {"list", "follow", "verify"}) {
    const auto unreachable =
        RunProcess({CliBinary(), "--server", "127.0.0.1:1", "--timeout", "2s", "audit", command});
    EXPECT_EQ(unreachable.exit_code, 1) << command;
    EXPECT_TRUE(Contains(unreachable.err, "UNAVAILABLE")) << unreachable.err;
    EXPECT_TRUE(Contains(unreachable.err, "COMPLIANCE_SERVER")) << unreachable.err;
  }
}

}  // namespace
}  // namespace compliance::testing
