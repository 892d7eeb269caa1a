#include "domain/signed_note.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/text.h"

namespace compliance {
namespace {

constexpr char kSignaturePrefix[] = "\xE2\x80\x94 ";  // U+2014 em dash, then a space
constexpr char kPrivateKeyPrefix[] = "PRIVATE+KEY+";
constexpr char kAlgEd25519 = 0x01;  // C2SP signed-note signature type
constexpr size_t kEd25519KeySize = 32;
constexpr size_t kEd25519SignatureSize = 64;
constexpr size_t kKeyHashSize = 4;
constexpr size_t kRootSize = 32;
// Go's note.Open refuses more, and C2SP asks verifiers to accept at least 16.
constexpr size_t kMaxSignatures = 100;

struct PkeyDeleter {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

std::string Sha256(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(data), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

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

// Unicode White_Space, which is what Go's unicode.IsSpace tests.
bool IsUnicodeSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
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

// "<name>+<key hash, 8 hex>+<base64(0x01 || 32-byte key)>", shared by verifier and private
// keys. Only the first two '+' separate fields: base64 has '+' of its own.
struct KeyFields {
  std::string name;
  std::string key_hash;  ///< 4 bytes, as the text states it
  std::string key;       ///< 32 bytes, without the algorithm byte
};

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

struct NoteSignature {
  std::string name;
  std::string key_hash;   ///< 4 bytes
  std::string signature;  ///< the rest
};

struct ParsedNote {
  std::string text;
  std::vector<NoteSignature> signatures;
};

absl::Status MalformedNote(absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("malformed signed note: ", problem));
}

// Splits a note the way Go's note.Open does, with the same checks.
absl::StatusOr<ParsedNote> ParseNote(absl::string_view note) {
  if (!CodePointCount(note).has_value()) return MalformedNote("not valid UTF-8");
  const bool has_control = std::any_of(note.begin(), note.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\n';
  });
  if (has_control) return MalformedNote("control characters other than newline");
  // The text may hold blank lines itself; the last one starts the signatures.
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) return MalformedNote("no blank line before signatures");
  absl::string_view block = note.substr(split + 2);
  if (block.empty()) return MalformedNote("no signatures");
  if (block.back() != '\n') return MalformedNote("the last signature line has no newline");
  block.remove_suffix(1);

  ParsedNote parsed{std::string(note.substr(0, split + 1)), {}};
  for (absl::string_view line : absl::StrSplit(block, '\n')) {
    if (parsed.signatures.size() == kMaxSignatures) {
      return MalformedNote(absl::StrCat("more than ", kMaxSignatures, " signatures"));
    }
    if (!absl::ConsumePrefix(&line, kSignaturePrefix)) {
      return MalformedNote("a signature line does not start with an em dash and a space");
    }
    const size_t space = line.find(' ');
    const absl::string_view name = line.substr(0, space);
    const std::optional<std::string> raw =
        space == absl::string_view::npos ? std::nullopt : DecodeBase64(line.substr(space + 1));
    if (!IsValidKeyName(name)) return MalformedNote("a signature has an invalid key name");
    if (!raw.has_value() || raw->size() <= kKeyHashSize) {
      return MalformedNote("a signature is not base64 of a key hash and a signature");
    }
    parsed.signatures.push_back(
        {std::string(name), raw->substr(0, kKeyHashSize), raw->substr(kKeyHashSize)});
  }
  return parsed;
}

}  // namespace

std::string CheckpointBody(const Checkpoint& checkpoint) {
  return absl::StrCat(checkpoint.origin, "\n", checkpoint.size, "\n",
                      absl::Base64Escape(checkpoint.root), "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body) {
  const auto invalid = [](absl::string_view problem) {
    return absl::InvalidArgumentError(absl::StrCat("checkpoint body: ", problem));
  };
  if (!absl::ConsumeSuffix(&body, "\n")) return invalid("must end with a newline");
  const std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (lines.size() < 3) return invalid("want origin, tree size and root hash lines");
  if (lines[0].empty()) return invalid("the origin is empty");

  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  const absl::string_view size = lines[1];
  const bool decimal = !size.empty() && std::all_of(size.begin(), size.end(), absl::ascii_isdigit);
  if (!decimal || (size.size() > 1 && size[0] == '0') ||
      !absl::SimpleAtoi(size, &checkpoint.size)) {
    return invalid("the tree size must be a decimal number without leading zeros");
  }
  const std::optional<std::string> root = DecodeBase64(lines[2]);
  if (!root.has_value() || root->size() != kRootSize) {
    return invalid("the root hash must be the base64 of 32 bytes");
  }
  checkpoint.root = *root;
  if (std::any_of(lines.begin() + 3, lines.end(), [](absl::string_view l) { return l.empty(); })) {
    return invalid("extension lines must not be empty");
  }
  return checkpoint;
}

NoteSigner::NoteSigner(std::string name, std::string seed, std::string public_key)
    : name_(std::move(name)), seed_(std::move(seed)), public_key_(std::move(public_key)) {}

absl::StatusOr<NoteSigner> NoteSigner::Generate(absl::string_view name) {
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError(
        "key name: must be non-empty UTF-8 without spaces, '+' or control characters");
  }
  unsigned char seed[kEd25519KeySize];
  if (RAND_bytes(seed, sizeof seed) != 1) {
    return absl::InternalError("cannot generate a random Ed25519 seed");
  }
  std::string seed_bytes(reinterpret_cast<const char*>(seed), sizeof seed);
  OPENSSL_cleanse(seed, sizeof seed);
  absl::StatusOr<std::string> public_key = PublicKeyFromSeed(seed_bytes);
  if (!public_key.ok()) return public_key.status();
  return NoteSigner(std::string(name), std::move(seed_bytes), *std::move(public_key));
}

absl::StatusOr<NoteSigner> NoteSigner::FromPrivateKey(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (!absl::ConsumePrefix(&text, kPrivateKeyPrefix)) {
    return absl::InvalidArgumentError("private key: must start with PRIVATE+KEY+");
  }
  absl::StatusOr<KeyFields> fields = ParseKeyFields("private key", text);
  if (!fields.ok()) return fields.status();
  absl::StatusOr<std::string> public_key = PublicKeyFromSeed(fields->key);
  if (!public_key.ok()) return public_key.status();
  // The hash is of the public key, so it can only be checked once that is derived.
  if (KeyHash(fields->name, *public_key) != fields->key_hash) {
    return absl::InvalidArgumentError("private key: the key hash does not match the key");
  }
  return NoteSigner(std::move(fields->name), std::move(fields->key), *std::move(public_key));
}

std::string NoteSigner::PrivateKey() const {
  return absl::StrCat(kPrivateKeyPrefix, FormatKey(name_, KeyHash(name_, public_key_), seed_));
}

std::string NoteSigner::VerifierKey() const {
  return FormatKey(name_, KeyHash(name_, public_key_), public_key_);
}

std::string NoteSigner::Sign(absl::string_view text) const {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(seed_), seed_.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  unsigned char signature[kEd25519SignatureSize];
  size_t length = sizeof signature;
  // Ed25519 over a valid 32-byte seed fails only when memory runs out; an empty signature
  // then makes a note that no verifier accepts rather than a wrong one.
  const bool signed_ok =
      pkey != nullptr && ctx != nullptr &&
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
      EVP_DigestSign(ctx.get(), signature, &length, Bytes(text), text.size()) == 1;
  const std::string signature_bytes =
      signed_ok ? std::string(reinterpret_cast<const char*>(signature), length) : "";
  return absl::StrCat(
      text, "\n", kSignaturePrefix, name_, " ",
      absl::Base64Escape(absl::StrCat(KeyHash(name_, public_key_), signature_bytes)), "\n");
}

namespace {

absl::StatusOr<KeyFields> ParseVerifierKey(absl::string_view verifier_key) {
  absl::StatusOr<KeyFields> key =
      ParseKeyFields("verifier key", absl::StripAsciiWhitespace(verifier_key));
  if (!key.ok()) return key.status();
  if (KeyHash(key->name, key->key) != key->key_hash) {
    return absl::InvalidArgumentError("verifier key: the key hash does not match the key");
  }
  return key;
}

}  // namespace

absl::Status CheckVerifierKey(absl::string_view verifier_key) {
  return ParseVerifierKey(verifier_key).status();
}

absl::StatusOr<std::string> OpenNote(absl::string_view note, absl::string_view verifier_key) {
  absl::StatusOr<KeyFields> key = ParseVerifierKey(verifier_key);
  if (!key.ok()) return key.status();
  absl::StatusOr<ParsedNote> parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();

  bool verified = false;
  for (const NoteSignature& signature : parsed->signatures) {
    // Another key's signature, even one sharing the name or the hash, is not ours to judge.
    if (signature.name != key->name || signature.key_hash != key->key_hash) continue;
    // A bad signature by the trusted key means tampering: C2SP says to reject the whole note.
    if (!VerifyEd25519(key->key, parsed->text, signature.signature)) {
      return absl::FailedPreconditionError(
          absl::StrCat("signed note: the signature by ", key->name, " does not verify"));
    }
    verified = true;
  }
  if (!verified) {
    return absl::FailedPreconditionError(absl::StrCat("signed note: no signature by ", key->name,
                                                      "+", absl::BytesToHexString(key->key_hash)));
  }
  return std::move(parsed->text);
}

absl::StatusOr<std::string> NoteText(absl::string_view note) {
  absl::StatusOr<ParsedNote> parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  return std::move(parsed->text);
}

}  // namespace compliance
