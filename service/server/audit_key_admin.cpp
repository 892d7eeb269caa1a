#include "server/audit_key_admin.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

absl::StatusOr<NoteSigner> ReadKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the audit signing key ", path));
  const std::string text(std::istreambuf_iterator<char>(in), {});
  auto signer = NoteSigner::FromPrivateKey(text);
  if (!signer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an audit signing key: ", signer.status().message()));
  }
  return signer;
}

}  // namespace

int CreateAuditKey(const std::string& path, const std::string& name) {
  if (path.empty()) {
    std::fprintf(stderr, "error: say where to write the key: --audit-signing-key FILE\n");
    return 2;
  }
  auto signer = NoteSigner::Generate(name);
  if (!signer.ok()) {
    std::fprintf(stderr, "error: --name: %s\n", std::string(signer.status().message()).c_str());
    return 2;
  }
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::fprintf(stderr, "error: cannot create %s: %s%s\n", path.c_str(), std::strerror(errno),
                 errno == EEXIST ? " (a key is never overwritten)" : "");
    return 1;
  }
  const std::string text = signer->PrivateKey() + "\n";
  const bool ok =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) {
    std::fprintf(stderr, "error: cannot write %s\n", path.c_str());
    return 1;
  }
  std::printf("%s\n", signer->VerifierKey().c_str());
  return 0;
}

int PrintAuditVerifierKey(const std::string& path) {
  auto signer = ReadKey(path);
  if (!signer.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(signer.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", signer->VerifierKey().c_str());
  return 0;
}

absl::StatusOr<std::optional<NoteSigner>> LoadAuditSigner(const Config& config) {
  if (config.audit_signing_key.empty()) {
    if (!config.allow_unsigned_audit) {
      return absl::FailedPreconditionError(
          "no audit signing key: set --audit-signing-key / COMPLIANCE_AUDIT_SIGNING_KEY to a "
          "key made with `compliance-server audit-key create`, or pass --allow-unsigned-audit");
    }
    spdlog::warn(
        "audit checkpoints are UNSIGNED (--allow-unsigned-audit): whoever holds the database "
        "can rewrite the audit log unnoticed");
    return std::optional<NoteSigner>();
  }
  auto signer = ReadKey(config.audit_signing_key);
  if (!signer.ok()) return signer.status();
  spdlog::info("audit checkpoints are signed as {}", signer->name());
  return std::optional<NoteSigner>(std::move(*signer));
}

}  // namespace compliance
