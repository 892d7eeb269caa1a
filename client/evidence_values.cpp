#include "evidence_values.h"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "cli_values.h"
#include "compliance/v1/evidence.pb.h"
#include "enum_words.h"

namespace compliance::cli {

absl::StatusOr<int> ParseEvidenceKind(absl::string_view text) {
  if (auto kind = EnumWords::Of<v1::EvidenceKind>().Parse(text)) return *kind;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an evidence kind; use ", EvidenceKindWords()));
}

std::string EvidenceKindWord(int kind) {
  return EnumWords::Of<v1::EvidenceKind>().Word(kind).value_or(absl::StrCat("kind-", kind));
}

std::string EvidenceKindWords() { return EnumWords::Of<v1::EvidenceKind>().List(); }

absl::StatusOr<int> ParseEvidenceState(absl::string_view text) {
  if (auto state = EnumWords::Of<v1::EvidenceState>().Parse(text)) return *state;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an evidence state; use ", EvidenceStateWords()));
}

std::string EvidenceStateWord(int state) {
  return EnumWords::Of<v1::EvidenceState>().Word(state).value_or(absl::StrCat("state-", state));
}

std::string EvidenceStateWords() { return EnumWords::Of<v1::EvidenceState>().List("or"); }

std::string ExpandEvidenceName(absl::string_view name) {
  if (name.empty() || absl::StrContains(name, '/')) return std::string(name);
  return absl::StrCat("evidence/", name);
}

std::string ShortEvidenceName(absl::string_view name) {
  absl::ConsumePrefix(&name, "evidence/");
  return std::string(name);
}

std::string ShortRequirementName(absl::string_view name) {
  const std::string prefix = absl::StrCat("frameworks/", kDefaultFramework, "/requirements/");
  absl::ConsumePrefix(&name, prefix);
  return std::string(name);
}

absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(absl::string_view text) {
  const size_t equals = text.find('=');
  if (equals == absl::string_view::npos || equals == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a label; use key=value, e.g. team=hr"));
  }
  return std::make_pair(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
}

absl::StatusOr<std::string> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("OpenSSL could not start a SHA-256 digest");
  }
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got > 0 && EVP_DigestUpdate(context.get(), buffer.data(), static_cast<size_t>(got)) != 1) {
      return absl::InternalError("OpenSSL could not update a SHA-256 digest");
    }
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest, &length) != 1) {
    return absl::InternalError("OpenSSL could not finish a SHA-256 digest");
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string FileUri(const std::string& path) {
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  std::string uri = "file://";
  for (const unsigned char c : absolute) {
    if (absl::ascii_isalnum(c) || absl::StrContains("-._~/!$&'()*+,;=:@", static_cast<char>(c))) {
      uri += static_cast<char>(c);
    } else {
      uri += absl::StrFormat("%%%02X", c);
    }
  }
  return uri;
}

}  // namespace compliance::cli
