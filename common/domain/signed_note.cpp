#include "domain/signed_note.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

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
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/note_keys.h"
#include "domain/text.h"

namespace compliance {

using note_keys::Bytes;
using note_keys::DecodeBase64;
using note_keys::FormatKey;
using note_keys::IsValidKeyName;
using note_keys::kEd25519KeySize;
using note_keys::kEd25519SignatureSize;
using note_keys::KeyFields;
using note_keys::KeyHash;
using note_keys::kKeyHashSize;
using note_keys::MdCtx;
using note_keys::ParseKeyFields;
using note_keys::Pkey;
using note_keys::PublicKeyFromSeed;
using note_keys::VerifyEd25519;

namespace {

constexpr char kSignaturePrefix[] = "\xE2\x80\x94 ";  // U+2014 em dash, then a space
constexpr char kPrivateKeyPrefix[] = "PRIVATE+KEY+";
// Go's note.Open refuses more, and C2SP asks verifiers to accept at least 16.
constexpr size_t kMaxSignatures = 100;

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
