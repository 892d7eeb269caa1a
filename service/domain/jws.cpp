#include "domain/jws.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace compliance {
namespace {

using Json = nlohmann::json;
// Far above any IdP's token, far below what would cost to decode.
constexpr size_t kMaxTokenSize = 16 * 1024;
constexpr size_t kP256CoordinateSize = 32;

absl::Status Refused(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("the token is not valid: ", why));
}

// A base64url part of the token holding a JSON object.
std::optional<Json> JsonPart(absl::string_view part) {
  auto bytes = DecodeBase64Url(part);
  if (!bytes) return std::nullopt;
  Json json = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  return json;
}

absl::Status CheckAlgorithm(const std::string& alg) {
  if (alg == "RS256" || alg == "ES256" || alg == "EdDSA") return absl::OkStatus();
  if (absl::EqualsIgnoreCase(alg, "none")) return Refused("unsigned tokens (alg none) are refused");
  if (absl::StartsWith(alg, "HS")) {
    return Refused(absl::StrCat("alg ", alg, " is refused: only the issuer's public keys verify"));
  }
  return Refused(absl::StrCat("alg \"", alg, "\" is not supported (RS256, ES256, EdDSA)"));
}

std::string HeaderString(const Json& header, const char* name) {
  auto it = header.find(name);
  return it != header.end() && it->is_string() ? it->get<std::string>() : "";
}

// JWS carries an ECDSA signature as R || S (RFC 7518 §3.4); OpenSSL verifies DER.
std::optional<std::string> EcdsaDer(const std::string& raw) {
  if (raw.size() != 2 * kP256CoordinateSize) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::unique_ptr<ECDSA_SIG, void (*)(ECDSA_SIG*)> sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(bytes, kP256CoordinateSize, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + kP256CoordinateSize, kP256CoordinateSize, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), length);
  OPENSSL_free(der);
  return out;
}

bool Verifies(EVP_PKEY* key, const EVP_MD* digest, const std::string& signature,
              const std::string& message) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const bool verified =
      context != nullptr &&
      EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();  // a failed verification leaves errors this thread must not see later
  return verified;
}

}  // namespace

bool LooksLikeJwt(absl::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

absl::StatusOr<CompactJws> DecodeCompactJws(absl::string_view token) {
  if (token.size() > kMaxTokenSize) return Refused("longer than 16 KiB");
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Refused("not a compact JWS (header.payload.signature)");
  auto header = JsonPart(parts[0]);
  if (!header) return Refused("its header is not base64url JSON");
  CompactJws jws{HeaderString(*header, "alg"), HeaderString(*header, "kid"), {}, {}, {}};
  if (auto status = CheckAlgorithm(jws.alg); !status.ok()) return status;
  if (header->contains("crit")) return Refused("critical header parameters are not supported");
  auto claims = JsonPart(parts[1]);
  if (!claims) return Refused("its payload is not base64url JSON");
  auto signature = DecodeBase64Url(parts[2]);
  if (!signature) return Refused("its signature is not base64url");
  jws.claims = *std::move(claims);
  jws.signing_input = std::string(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  jws.signature = *std::move(signature);
  return jws;
}

absl::Status VerifyJwsSignature(const CompactJws& jws, const JsonWebKey& key) {
  if (jws.alg != key.alg) {
    return Refused(
        absl::StrCat("alg ", jws.alg, " does not match key \"", key.kid, "\" (", key.alg, ")"));
  }
  std::optional<std::string> signature = jws.signature;
  if (key.alg == "ES256") signature = EcdsaDer(jws.signature);
  // Ed25519 hashes inside the algorithm: no digest of our own.
  const EVP_MD* digest = key.alg == "EdDSA" ? nullptr : EVP_sha256();
  if (!signature || !Verifies(key.key.get(), digest, *signature, jws.signing_input)) {
    return Refused(absl::StrCat("its signature does not verify with key \"", key.kid, "\""));
  }
  return absl::OkStatus();
}

}  // namespace compliance
