#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// The key encoding of C2SP signed notes with Ed25519, shared by the signer, the verifier and
// the checkpoint body: key names, key hashes, canonical base64, and the key text
// "<name>+<key hash, 8 hex>+<base64(0x01 || 32-byte key)>". Only signed_note.cpp and
// checkpoint_body.cpp use it.
namespace compliance::note_keys {

inline constexpr char kAlgEd25519 = 0x01;  // C2SP signed-note signature type
inline constexpr size_t kEd25519KeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;
inline constexpr size_t kKeyHashSize = 4;

struct PkeyDeleter {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

inline const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

/// SHA-256(name || "\n" || 0x01 || public key)[:4], as C2SP recommends and Go computes.
std::string KeyHash(absl::string_view name, absl::string_view public_key);

/// Base64 in the one form Base64Escape writes (padded, zero trailing bits), so that each
/// value has exactly one spelling.
std::optional<std::string> DecodeBase64(absl::string_view text);

/// Non-empty UTF-8 without Unicode spaces or '+', as C2SP requires; control characters are
/// refused too, since no valid note can carry them.
bool IsValidKeyName(absl::string_view name);

/// The Ed25519 public key of a 32-byte seed.
absl::StatusOr<std::string> PublicKeyFromSeed(absl::string_view seed);

/// Whether `signature` is `public_key`'s Ed25519 signature of `message`.
bool VerifyEd25519(absl::string_view public_key, absl::string_view message,
                   absl::string_view signature);

/// A key's text, split. Only the first two '+' separate fields: base64 has '+' of its own.
struct KeyFields {
  std::string name;
  std::string key_hash;  ///< 4 bytes, as the text states it
  std::string key;       ///< 32 bytes, without the algorithm byte
};

/// Parses a verifier or private key's text; INVALID_ARGUMENT starting with `what` otherwise.
absl::StatusOr<KeyFields> ParseKeyFields(absl::string_view what, absl::string_view text);

/// The text of a key.
std::string FormatKey(absl::string_view name, absl::string_view key_hash, absl::string_view key);

}  // namespace compliance::note_keys
