#include "wrk.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "absl/strings/str_format.h"

namespace compliance::bench {
namespace {

std::string Run(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run wrk");
  std::string out;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  if (pclose(pipe) != 0) throw std::runtime_error("wrk failed: " + out);
  return out;
}

// "812.34us", "1.20ms", "2.00s" in milliseconds.
double Milliseconds(const std::string& value, const std::string& unit) {
  const double number = std::stod(value);
  if (unit == "us") return number / 1000;
  if (unit == "s") return number * 1000;
  return number;
}

double Percentile(const std::string& out, const std::string& which) {
  std::smatch match;
  if (!std::regex_search(out, match, std::regex("\\s" + which + "%\\s+([0-9.]+)(us|ms|s)\\b"))) {
    throw std::runtime_error("wrk printed no " + which + "th percentile: " + out);
  }
  return Milliseconds(match[1], match[2]);
}

int64_t Count(const std::string& out, const std::string& pattern) {
  std::smatch match;
  return std::regex_search(out, match, std::regex(pattern)) ? std::stoll(match[1]) : 0;
}

}  // namespace

WrkResult RunWrk(const std::string& url, int connections, double seconds, const std::string& token,
                 const std::string& lua) {
  std::string script_option;
  char path[] = "/tmp/compliance-bench-wrk.XXXXXX";
  if (!lua.empty()) {
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("no temporary file for the wrk script");
    close(fd);
    std::ofstream(path) << lua;
    script_option = absl::StrFormat("-s %s", path);
  }
  struct Remove {
    const char* path;
    bool used;
    ~Remove() {
      if (used) unlink(path);
    }
  } remove_script{path, !lua.empty()};
  const std::string base =
      absl::StrFormat("wrk -t2 -c%d --timeout 10s -H 'Authorization: Bearer %s' %s", connections,
                      token, script_option);
  Run(absl::StrFormat("%s -d1s %s 2>&1", base, url));  // warm-up, unmeasured
  const std::string out =
      Run(absl::StrFormat("%s --latency -d%ds %s 2>&1", base, static_cast<int>(seconds), url));
  WrkResult result;
  result.requests_per_second = std::stod(out.substr(out.find("Requests/sec:") + 13));
  result.requests = Count(out, "(\\d+) requests in");
  result.p50_ms = Percentile(out, "50");
  result.p99_ms = Percentile(out, "99");
  result.failed = Count(out, "Non-2xx or 3xx responses: (\\d+)") +
                  Count(out, "Socket errors: connect (\\d+)") +
                  Count(out, "Socket errors: connect \\d+, read (\\d+)") +
                  Count(out, "write (\\d+), timeout") + Count(out, "timeout (\\d+)");
  if (result.failed > 0 || result.requests == 0) {
    throw std::runtime_error(
        absl::StrFormat("%d of %d wrk requests failed: %s", result.failed, result.requests, out));
  }
  return result;
}

}  // namespace compliance::bench
