#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// One verification key of an identity provider, ready for OpenSSL.
struct JsonWebKey {
  std::string kid;
  std::string alg;  ///< the one JWS algorithm it verifies: "RS256", "ES256" or "EdDSA"
  std::shared_ptr<EVP_PKEY> key;
};

/// The keys of a JWK Set (RFC 7517) that this server can verify with.
struct JsonWebKeySet {
  std::vector<JsonWebKey> keys;
  /// The keys left out and why (another use, type, curve or algorithm; RSA under 2048 bits).
  std::vector<std::string> skipped;
};

/// Parses a JWK Set document; INVALID_ARGUMENT when it is no JSON object with a "keys" array.
/// RSA keys verify RS256, P-256 keys ES256, Ed25519 keys EdDSA; a key's own "alg", when
/// given, must be that one.
absl::StatusOr<JsonWebKeySet> ParseJwks(absl::string_view document);

/// The key `kid` names; with `kid` empty, the set's only key (OIDC Core §10.1 lets a token
/// omit kid then). Null when there is none.
const JsonWebKey* FindKey(const JsonWebKeySet& set, absl::string_view kid);

/// The bytes of base64url text without padding (RFC 7515 §2); nullopt for any other text.
std::optional<std::string> DecodeBase64Url(absl::string_view text);

}  // namespace compliance
