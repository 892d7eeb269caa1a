#include "jwt_signer.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace compliance::testing {
namespace {

std::string BignumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* value = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &value) != 1) throw std::runtime_error(name);
  std::string bytes(BN_num_bytes(value), '\0');
  BN_bn2bin(value, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(value);
  return bytes;
}

// ECDSA signs DER; JWS carries R || S, each 32 bytes for P-256.
std::string RawEcdsa(const std::string& der) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &bytes, static_cast<long>(der.size()));
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

}  // namespace

std::string Base64Url(const std::string& bytes) { return absl::WebSafeBase64Escape(bytes); }

JwtSigner::JwtSigner(std::string alg, std::string kid)
    : alg_(std::move(alg)), kid_(std::move(kid)) {
  EVP_PKEY* key = nullptr;
  if (alg_ == "RS256") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  if (alg_ == "ES256") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (alg_ == "EdDSA") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) throw std::runtime_error("cannot make a key for " + alg_);
  key_.reset(key, EVP_PKEY_free);
}

nlohmann::json JwtSigner::Jwk() const {
  nlohmann::json jwk = {{"kid", kid_}, {"alg", alg_}, {"use", "sig"}};
  if (alg_ == "RS256") {
    jwk["kty"] = "RSA";
    jwk["n"] = Base64Url(BignumParam(key_.get(), OSSL_PKEY_PARAM_RSA_N));
    jwk["e"] = Base64Url(BignumParam(key_.get(), OSSL_PKEY_PARAM_RSA_E));
  } else if (alg_ == "ES256") {
    unsigned char point[65];
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                    &length);
    const std::string bytes(reinterpret_cast<const char*>(point), length);
    jwk.update({{"kty", "EC"},
                {"crv", "P-256"},
                {"x", Base64Url(bytes.substr(1, 32))},
                {"y", Base64Url(bytes.substr(33, 32))}});
  } else {
    unsigned char raw[32];
    size_t length = sizeof raw;
    EVP_PKEY_get_raw_public_key(key_.get(), raw, &length);
    jwk.update({{"kty", "OKP"},
                {"crv", "Ed25519"},
                {"x", Base64Url(std::string(reinterpret_cast<const char*>(raw), length))}});
  }
  return jwk;
}

std::string JwtSigner::Sign(const nlohmann::json& claims,
                            const nlohmann::json& extra_header) const {
  nlohmann::json header = {{"alg", alg_}, {"kid", kid_}, {"typ", "JWT"}};
  header.update(extra_header);
  const std::string input = absl::StrCat(Base64Url(header.dump()), ".", Base64Url(claims.dump()));
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const EVP_MD* digest = alg_ == "EdDSA" ? nullptr : EVP_sha256();
  size_t length = 0;
  EVP_DigestSignInit(context, nullptr, digest, nullptr, key_.get());
  EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(context);
  signature.resize(length);
  if (alg_ == "ES256") signature = RawEcdsa(signature);
  return absl::StrCat(input, ".", Base64Url(signature));
}

std::string JwksOf(std::initializer_list<const JwtSigner*> signers) {
  nlohmann::json keys = nlohmann::json::array();
  for (const JwtSigner* signer : signers) keys.push_back(signer->Jwk());
  return nlohmann::json{{"keys", keys}}.dump();
}

}  // namespace compliance::testing
