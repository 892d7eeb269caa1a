#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/jwk.h"

namespace compliance {

/// A JWT in the compact JWS form (RFC 7515 §7.1), decoded but not yet trusted.
struct CompactJws {
  std::string alg;            ///< the protected header's `alg`
  std::string kid;            ///< the protected header's `kid`, or empty
  nlohmann::json claims;      ///< the payload, a JSON object
  std::string signing_input;  ///< "header.payload", what the signature covers
  std::string signature;      ///< its bytes
};

/// Whether a bearer value has the compact form of a JWS, three parts joined by dots (API
/// tokens have none).
bool LooksLikeJwt(absl::string_view token);

/// Decodes `token`. UNAUTHENTICATED when it is malformed, when its `alg` is not RS256, ES256
/// or EdDSA (so "none" and the HMAC algorithms, which a public key must never verify, are
/// refused before any key is looked at), or when it has critical header parameters (`crit`).
absl::StatusOr<CompactJws> DecodeCompactJws(absl::string_view token);

/// OK when `jws.signature` is `key`'s signature of `jws.signing_input` and `jws.alg` is the
/// algorithm of `key`; UNAUTHENTICATED otherwise.
absl::Status VerifyJwsSignature(const CompactJws& jws, const JsonWebKey& key);

}  // namespace compliance
