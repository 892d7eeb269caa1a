#include "domain/note_keys.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/sha256.h"
#include "domain/text.h"

namespace compliance::note_keys {
namespace {

// Unicode White_Space, which is what Go's unicode.IsSpace tests.
bool IsUnicodeSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

}  // namespace

// SHA-256(name || "\n" || 0x01 || public key)[:4], as C2SP recommends and Go computes.
std::string KeyHash(absl::string_view name, absl::string_view public_key) {
  return Sha256(absl::StrCat(name, "\n", std::string(1, kAlgEd25519), public_key))
      .substr(0, kKeyHashSize);
}

// Base64 in the one form Base64Escape writes (padded, zero trailing bits), so that each value
// has exactly one spelling.
std::optional<std::string> DecodeBase64(absl::string_view text) {
  std::string raw;
  if (!absl::Base64Unescape(text, &raw) || absl::Base64Escape(raw) != text) return std::nullopt;
  return raw;
}

// Non-empty UTF-8 without Unicode spaces or '+', as C2SP requires; control characters are
// refused too, since no valid note can carry them.
bool IsValidKeyName(absl::string_view name) {
  if (name.empty() || !CodePointCount(name).has_value()) return false;
  for (size_t i = 0; i < name.size();) {
    const unsigned char lead = static_cast<unsigned char>(name[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (size_t j = 1; j < length; ++j) c = (c << 6) | (name[i + j] & 0x3F);
    if (c < 0x20 || c == '+' || IsUnicodeSpace(c)) return false;
    i += length;
  }
  return true;
}

absl::StatusOr<std::string> PublicKeyFromSeed(absl::string_view seed) {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(seed), seed.size()));
  unsigned char public_key[kEd25519KeySize];
  size_t length = sizeof public_key;
  if (pkey == nullptr || EVP_PKEY_get_raw_public_key(pkey.get(), public_key, &length) != 1 ||
      length != sizeof public_key) {
    return absl::InternalError("cannot derive an Ed25519 public key");
  }
  return std::string(reinterpret_cast<const char*>(public_key), length);
}

bool VerifyEd25519(absl::string_view public_key, absl::string_view message,
                   absl::string_view signature) {
  if (signature.size() != kEd25519SignatureSize) return false;
  Pkey pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(public_key), public_key.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  return pkey != nullptr && ctx != nullptr &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                          message.size()) == 1;
}

absl::StatusOr<KeyFields> ParseKeyFields(absl::string_view what, absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('+', 2));
  if (parts.size() != 3) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": want <name>+<hash>+<key>"));
  }
  if (!IsValidKeyName(parts[0])) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": the name must be non-empty UTF-8 without spaces, '+' or control characters"));
  }
  const bool hex = parts[1].size() == 2 * kKeyHashSize &&
                   std::all_of(parts[1].begin(), parts[1].end(), absl::ascii_isxdigit);
  if (!hex) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": the key hash must be 8 hex digits"));
  }
  const std::optional<std::string> key = DecodeBase64(parts[2]);
  if (!key.has_value() || key->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": the key is not base64"));
  }
  if ((*key)[0] != kAlgEd25519) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": unknown key algorithm; only Ed25519 (1) is supported"));
  }
  if (key->size() != 1 + kEd25519KeySize) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": an Ed25519 key has 32 bytes"));
  }
  return KeyFields{std::string(parts[0]), absl::HexStringToBytes(parts[1]), key->substr(1)};
}

std::string FormatKey(absl::string_view name, absl::string_view key_hash, absl::string_view key) {
  return absl::StrCat(name, "+", absl::BytesToHexString(key_hash), "+",
                      absl::Base64Escape(absl::StrCat(std::string(1, kAlgEd25519), key)));
}

}  // namespace compliance::note_keys
