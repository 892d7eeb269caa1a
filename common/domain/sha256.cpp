#include "domain/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>
#include <stdexcept>

#include "absl/strings/escaping.h"

namespace compliance {
namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up in its provider store, under a lock,
// on every call: 308 ns against 81 ns with the algorithm fetched once and a context reused
// per thread, for a 43-byte token. Every authenticated call hashes its token, and the
// sealer hashes each event and tree node.
const EVP_MD* Sha256Algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

bool Digest(std::initializer_list<absl::string_view> parts, unsigned char* digest) {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> context(EVP_MD_CTX_new());
  const EVP_MD* algorithm = Sha256Algorithm();
  if (!context || !algorithm || EVP_DigestInit_ex2(context.get(), algorithm, nullptr) != 1) {
    return false;
  }
  for (const absl::string_view part : parts) {
    if (EVP_DigestUpdate(context.get(), part.data(), part.size()) != 1) return false;
  }
  return EVP_DigestFinal_ex(context.get(), digest, nullptr) == 1;
}

}  // namespace

std::string Sha256(std::initializer_list<absl::string_view> parts) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (!Digest(parts, digest)) throw std::runtime_error("SHA-256 is not available");
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string Sha256(absl::string_view data) { return Sha256({data}); }

std::string Sha256Hex(std::initializer_list<absl::string_view> parts) {
  return absl::BytesToHexString(Sha256(parts));
}

std::string Sha256Hex(absl::string_view data) { return Sha256Hex({data}); }

}  // namespace compliance
