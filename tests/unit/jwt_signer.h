#pragma once

#include <openssl/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace compliance::testing {

/// A key pair of the identity provider in the tests, made with OpenSSL, that signs compact
/// JWTs as an IdP would and publishes its public half as a JWK.
class JwtSigner {
 public:
  /// `alg`: "RS256", "ES256" or "EdDSA".
  JwtSigner(std::string alg, std::string kid);

  /// The public key as a JWK (kty, crv, n/e or x/y, kid, alg, use).
  nlohmann::json Jwk() const;
  /// header.payload.signature with {"alg", "kid", "typ": "JWT"} and any `extra_header`.
  std::string Sign(const nlohmann::json& claims,
                   const nlohmann::json& extra_header = nlohmann::json::object()) const;

  const std::string& alg() const { return alg_; }
  const std::string& kid() const { return kid_; }

 private:
  std::string alg_;
  std::string kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

/// base64url without padding.
std::string Base64Url(const std::string& bytes);

/// A JWK Set document of the given keys.
std::string JwksOf(std::initializer_list<const JwtSigner*> signers);

}  // namespace compliance::testing
