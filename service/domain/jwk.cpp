#include "domain/jwk.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

using Json = nlohmann::json;
constexpr int kMinRsaBits = 2048;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;

std::shared_ptr<EVP_PKEY> Shared(EVP_PKEY* pkey) {
  if (pkey == nullptr) return nullptr;
  return std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

// The base64url member `name` of `jwk`, decoded; nullopt when absent or malformed.
std::optional<std::string> Member(const Json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return DecodeBase64Url(it->get<std::string>());
}

// A public key made from OpenSSL parameters (RSA n and e; an EC group and point).
std::shared_ptr<EVP_PKEY> FromParams(const char* type, OSSL_PARAM_BLD* builder) {
  Params params(OSSL_PARAM_BLD_to_param(builder));
  PkeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (params == nullptr || context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  auto key = Shared(pkey);
  // A point off the curve, or a malformed modulus, is no key.
  PkeyContext check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

Bignum ToBignum(const std::string& bytes) {
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> RsaKey(const Json& jwk) {
  auto n = Member(jwk, "n");
  auto e = Member(jwk, "e");
  if (!n || !e) return nullptr;
  Bignum modulus = ToBignum(*n);
  Bignum exponent = ToBignum(*e);
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!modulus || !exponent || !builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return nullptr;
  }
  return FromParams("RSA", builder.get());
}

std::shared_ptr<EVP_PKEY> P256Key(const Json& jwk) {
  auto x = Member(jwk, "x");
  auto y = Member(jwk, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  const std::string point = absl::StrCat("\x04", *x, *y);  // uncompressed (SEC 1 §2.3.3)
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  return FromParams("EC", builder.get());
}

std::shared_ptr<EVP_PKEY> Ed25519Key(const Json& jwk) {
  auto x = Member(jwk, "x");
  if (!x || x->size() != 32) return nullptr;
  return Shared(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size()));
}

std::string StringMember(const Json& jwk, const char* name) {
  auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : "";
}

// The key `jwk` describes, or why it is left out.
absl::StatusOr<JsonWebKey> ParseKey(const Json& jwk) {
  if (!jwk.is_object()) return absl::InvalidArgumentError("not a JSON object");
  const std::string kty = StringMember(jwk, "kty");
  const std::string crv = StringMember(jwk, "crv");
  const std::string use = StringMember(jwk, "use");
  JsonWebKey key{StringMember(jwk, "kid"), "", nullptr};
  if (!use.empty() && use != "sig") return absl::InvalidArgumentError("use is not sig");
  if (kty == "RSA") {
    key = {key.kid, "RS256", RsaKey(jwk)};
    if (key.key && EVP_PKEY_get_bits(key.key.get()) < kMinRsaBits) {
      return absl::InvalidArgumentError("RSA key under 2048 bits");
    }
  } else if (kty == "EC" && crv == "P-256") {
    key = {key.kid, "ES256", P256Key(jwk)};
  } else if (kty == "OKP" && crv == "Ed25519") {
    key = {key.kid, "EdDSA", Ed25519Key(jwk)};
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unsupported key type ", kty, " ", crv));
  }
  if (const std::string alg = StringMember(jwk, "alg"); !alg.empty() && alg != key.alg) {
    return absl::InvalidArgumentError(absl::StrCat("alg ", alg, " is not supported"));
  }
  if (key.key == nullptr) return absl::InvalidArgumentError("malformed key material");
  return key;
}

}  // namespace

absl::StatusOr<JsonWebKeySet> ParseJwks(absl::string_view document) {
  const Json json = Json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("keys") || !json["keys"].is_array()) {
    return absl::InvalidArgumentError("not a JWK Set: no \"keys\" array");
  }
  JsonWebKeySet set;
  for (const Json& jwk : json["keys"]) {
    auto key = ParseKey(jwk);
    if (key.ok()) {
      set.keys.push_back(*std::move(key));
    } else {
      const std::string kid = jwk.is_object() ? StringMember(jwk, "kid") : "";
      set.skipped.push_back(absl::StrCat("kid \"", kid, "\": ", key.status().message()));
    }
  }
  return set;
}

const JsonWebKey* FindKey(const JsonWebKeySet& set, absl::string_view kid) {
  if (kid.empty()) return set.keys.size() == 1 ? &set.keys.front() : nullptr;
  for (const JsonWebKey& key : set.keys) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

std::optional<std::string> DecodeBase64Url(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return std::nullopt;
    }
  }
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(text, &bytes)) return std::nullopt;
  return bytes;
}

}  // namespace compliance
