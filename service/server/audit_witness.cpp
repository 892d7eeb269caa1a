#include "server/audit_witness.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/str_format.h"

namespace compliance {
namespace {

constexpr char kPrefix[] = "checkpoint-";

bool WriteAll(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string AuditWitnessDir::FileName(int64_t tree_size) {
  return absl::StrFormat("%s%020d", kPrefix, tree_size);
}

bool AuditWitnessDir::Append(int64_t tree_size, const std::string& note, std::string* error) const {
  if (!enabled()) return true;
  const std::string path = path_ + "/" + FileName(tree_size);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (fd < 0) {
    if (errno == EEXIST) return true;  // another replica, or this one before a restart
    *error = absl::StrFormat("cannot create %s: %s", path, std::strerror(errno));
    return false;
  }
  const bool ok = WriteAll(fd, note) && fsync(fd) == 0;
  if (!ok) *error = absl::StrFormat("cannot write %s: %s", path, std::strerror(errno));
  close(fd);
  return ok;
}

std::optional<std::string> AuditWitnessDir::Newest() const {
  if (!enabled()) return std::nullopt;
  std::error_code ignored;
  std::string newest;  // names sort as their sizes do: the sizes are zero-padded
  for (const auto& entry : std::filesystem::directory_iterator(path_, ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) == 0 && name.size() == FileName(0).size() && name > newest) {
      newest = name;
    }
  }
  if (newest.empty()) return std::nullopt;
  std::ifstream in(path_ + "/" + newest, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace compliance
