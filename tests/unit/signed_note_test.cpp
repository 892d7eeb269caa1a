#include "domain/signed_note.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "domain/merkle.h"

namespace compliance {
namespace {

// The example of golang.org/x/mod/sumdb/note (note.go's package doc and note_test.go).
constexpr char kPeterPrivateKey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kPeterVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kEnochVerifierKey[] =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr char kPeterText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kPeterSignature[] =
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr char kEnochSignature[] =
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

std::string PeterNote() { return absl::StrCat(kPeterText, "\n", kPeterSignature); }

absl::StatusCode OpenCode(absl::string_view note, absl::string_view key) {
  return OpenNote(note, key).status().code();
}

TEST(SignedNote, SignsThePublishedGoVector) {
  auto signer = NoteSigner::FromPrivateKey(kPeterPrivateKey);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ(signer->name(), "PeterNeumann");
  EXPECT_EQ(signer->VerifierKey(), kPeterVerifierKey);
  EXPECT_EQ(signer->PrivateKey(), kPeterPrivateKey);
  // Ed25519 is deterministic, so the signature is Go's byte for byte.
  EXPECT_EQ(signer->Sign(kPeterText), PeterNote());
  EXPECT_EQ(*OpenNote(PeterNote(), kPeterVerifierKey), kPeterText);
  EXPECT_EQ(*NoteText(PeterNote()), kPeterText);
}

TEST(SignedNote, OpensADoublySignedNoteWithEitherKey) {
  // note.go's package doc: the same note cosigned by EnochRoot.
  const std::string note = absl::StrCat(kPeterText, "\n", kPeterSignature, kEnochSignature);
  EXPECT_EQ(*OpenNote(note, kPeterVerifierKey), kPeterText);
  EXPECT_EQ(*OpenNote(note, kEnochVerifierKey), kPeterText);
}

TEST(SignedNote, OpensARealSumdbCheckpoint) {
  // transparency-dev/formats log/note_test.go (TestSumDBNoteParsing): a sum.golang.org tree
  // head. Its key's base64 holds '+' characters, so only the first two separate fields.
  const char kKey[] = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
  const char kNote[] =
      "go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n"
      "— sum.golang.org "
      "Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw="
      "\n";
  auto text = OpenNote(kNote, kKey);
  ASSERT_TRUE(text.ok()) << text.status();
  auto checkpoint = ParseCheckpointBody(*text);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->origin, "go.sum database tree");
  EXPECT_EQ(checkpoint->size, 6476701);
  EXPECT_EQ(absl::Base64Escape(checkpoint->root), "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=");
  EXPECT_EQ(CheckpointBody(*checkpoint), *text);
  EXPECT_EQ(OpenCode(kNote, kPeterVerifierKey), absl::StatusCode::kFailedPrecondition);
}

TEST(SignedNote, DerivesThePublishedVerifierKeys) {
  // Key pairs from transparency-dev/formats log/note_test.go, made by Go's note.GenerateKey.
  const std::vector<std::pair<const char*, const char*>> pairs = {
      {"PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ",
       "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs"},
      {"PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci",
       "Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH"},
      {"PRIVATE+KEY+KnownAgain+4893b26c+ARhZda/l25zjGZswYLDZsLNRzNpmv5wYTN9IoTr1OJ2+",
       "KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj"},
      {"PRIVATE+KEY+Unknown+fdbb2e08+Aav2knTC6orbhXX8pMWuNiWgO+Wwk2DB+h1eU2Q1W1nU",
       "Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+sR8zciNHiYI1SdlBjNw+RV0rots"},
  };
  for (const auto& [private_key, verifier_key] : pairs) {
    auto signer = NoteSigner::FromPrivateKey(absl::StrCat("  ", private_key, "\n"));
    ASSERT_TRUE(signer.ok()) << private_key << ": " << signer.status();
    EXPECT_EQ(signer->VerifierKey(), verifier_key);
    EXPECT_EQ(signer->PrivateKey(), private_key);
    EXPECT_TRUE(OpenNote(signer->Sign("hello\n"), verifier_key).ok());
  }
}

TEST(SignedNote, GeneratedKeysRoundTrip) {
  auto signer = NoteSigner::Generate("example.com/compliance-audit");
  ASSERT_TRUE(signer.ok()) << signer.status();
  const std::string body = CheckpointBody({"example.com/compliance-audit", 3, MerkleEmptyRoot()});
  const std::string note = signer->Sign(body);
  EXPECT_EQ(*OpenNote(note, signer->VerifierKey()), body);
  // Keys read from files keep their newline.
  EXPECT_EQ(*OpenNote(note, absl::StrCat(signer->VerifierKey(), "\n")), body);

  auto reread = NoteSigner::FromPrivateKey(signer->PrivateKey());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->VerifierKey(), signer->VerifierKey());
  EXPECT_EQ(reread->Sign(body), note);

  auto unicode = NoteSigner::Generate("Señor-1");
  ASSERT_TRUE(unicode.ok());
  EXPECT_EQ(*OpenNote(unicode->Sign("a\n\nb\n"), unicode->VerifierKey()), "a\n\nb\n");

  auto other = NoteSigner::Generate("example.com/compliance-audit");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->VerifierKey(), signer->VerifierKey());
}

TEST(SignedNote, RejectsWrongKeysAndAlterations) {
  auto signer = NoteSigner::Generate("example.com/log");
  auto same_name = NoteSigner::Generate("example.com/log");
  ASSERT_TRUE(signer.ok() && same_name.ok());
  const std::string body = CheckpointBody({"example.com/log", 41, MerkleLeafHash("x")});
  const std::string note = signer->Sign(body);

  EXPECT_EQ(OpenCode(note, kPeterVerifierKey), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenCode(note, same_name->VerifierKey()), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenCode(absl::StrReplaceAll(note, {{"\n41\n", "\n42\n"}}), signer->VerifierKey()),
            absl::StatusCode::kFailedPrecondition);
  // A signature by another key with our name is ignored; one that fails with ours is not.
  const std::string cosigned = absl::StrCat(note, same_name->Sign(body).substr(body.size() + 1));
  EXPECT_TRUE(OpenNote(cosigned, signer->VerifierKey()).ok());

  // note_test.go's invalid signature: four base64 characters spliced into it.
  const std::string peter = kPeterSignature;
  const std::string spliced = absl::StrCat(peter.substr(0, 60), "ABCD", peter.substr(60));
  EXPECT_EQ(OpenCode(absl::StrCat(kPeterText, "\n", spliced), kPeterVerifierKey),
            absl::StatusCode::kFailedPrecondition);
  const std::string flipped = absl::StrReplaceAll(peter, {{"pZSNX", "pZSNY"}});
  ASSERT_NE(flipped, peter);
  EXPECT_EQ(OpenCode(absl::StrCat(kPeterText, "\n", flipped), kPeterVerifierKey),
            absl::StatusCode::kFailedPrecondition);
  // A good signature then a bad one by the same key: the note was tampered with.
  EXPECT_EQ(OpenCode(absl::StrCat(kPeterText, "\n", peter, flipped), kPeterVerifierKey),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenCode(absl::StrCat("If you think\n", "\n", peter), kPeterVerifierKey),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SignedNote, RejectsMalformedNotes) {
  const std::string text = kPeterText;
  const std::string sig = kPeterSignature;
  std::string many = text + "\n";
  for (int i = 0; i < 101; ++i) many += sig;
  // The first seven are note_test.go's badMsgs.
  for (const std::string& bad : std::vector<std::string>{
           text,
           text + "\n",
           text + "\n" + sig.substr(0, sig.size() - 1),
           "\x01" + text + "\n" + sig,
           "\xff" + text + "\n" + sig,
           text + "\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
                  "qfqdngotpRZb6KE6RyyBwJnAM=",
           text + "\n" + sig + "Unexpected line.\n",
           many,
           "",
           text + "\n" + sig + "\n",
           text + "\n- PeterNeumann x08go/ZJku\n",
           text + "\n— PeterNeumann\n",
           text + "\n— PeterNeumann x08go\n",
           text + "\n— PeterNeumann x08g\n",
           text + "\n— Peter+Neumann x08go/ZJkuBS9UG/SffcvIA\n",
           "tab\there\n\n" + sig,
       }) {
    EXPECT_EQ(OpenCode(bad, kPeterVerifierKey), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(NoteText(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // Go's limit is 100 signatures, and C2SP wants at least 16 accepted.
  std::string hundred = text + "\n";
  for (int i = 0; i < 100; ++i) hundred += sig;
  EXPECT_TRUE(OpenNote(hundred, kPeterVerifierKey).ok());
}

TEST(SignedNote, ChecksVerifierKeysAlone) {
  EXPECT_TRUE(CheckVerifierKey(kPeterVerifierKey).ok());
  EXPECT_TRUE(CheckVerifierKey(std::string(kPeterVerifierKey) + "\n").ok());
  EXPECT_EQ(CheckVerifierKey("/etc/compliance/audit.pub").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SignedNote, RejectsMalformedKeys) {
  // note_test.go's TestNewVerifier and TestNewSigner: every proper substring of the key and
  // every key with one byte changed is refused.
  for (const std::string key : {kPeterVerifierKey, kPeterPrivateKey}) {
    const bool is_private = key == kPeterPrivateKey;
    std::vector<std::string> bad;
    for (size_t i = 0; i <= key.size(); ++i) {
      for (size_t j = i + 1; j <= key.size(); ++j) {
        if (i != 0 || j != key.size()) bad.push_back(key.substr(i, j - i));
      }
    }
    for (size_t i = 0; i < key.size(); ++i) {
      std::string changed = key;
      ++changed[i];
      bad.push_back(changed);
    }
    for (const std::string& k : bad) {
      const absl::Status status =
          is_private ? NoteSigner::FromPrivateKey(k).status() : OpenNote(PeterNote(), k).status();
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << k;
      if (!is_private) EXPECT_EQ(CheckVerifierKey(k).code(), absl::StatusCode::kInvalidArgument);
    }
  }
  // Wrong key length and unknown algorithm, each with a matching key hash (note_test.go).
  for (const char* key :
       {"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"}) {
    EXPECT_EQ(OpenCode(PeterNote(), key), absl::StatusCode::kInvalidArgument) << key;
  }
}

TEST(SignedNote, RefusesInvalidKeyNames) {
  for (const char* name : {"", "a b", "a+b", "a\tb", "a\nb", "a\x01z", "a\xC2\xA0z",
                           "a\xE3\x80\x80z", "a\xE2\x80\xA8z", "\xff"}) {
    EXPECT_EQ(NoteSigner::Generate(name).status().code(), absl::StatusCode::kInvalidArgument)
        << name;
  }
}

TEST(Checkpoint, FormatsAndParsesBodies) {
  // The example of C2SP tlog-checkpoint.
  const char kBody[] =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  auto checkpoint = ParseCheckpointBody(kBody);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(checkpoint->size, 20852163);
  EXPECT_EQ(checkpoint->root.size(), 32u);
  EXPECT_EQ(CheckpointBody(*checkpoint), kBody);

  for (const Checkpoint& c : {Checkpoint{"log", 0, MerkleEmptyRoot()},
                              Checkpoint{"a b", 9223372036854775807, MerkleLeafHash("")}}) {
    auto parsed = ParseCheckpointBody(CheckpointBody(c));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->origin, c.origin);
    EXPECT_EQ(parsed->size, c.size);
    EXPECT_EQ(parsed->root, c.root);
  }

  auto extended = ParseCheckpointBody(absl::StrCat(kBody, "extension one\nextension two\n"));
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ(extended->size, 20852163);
}

TEST(Checkpoint, RejectsMalformedBodies) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  for (const std::string& bad : std::vector<std::string>{
           "",
           "\n",
           "log\n1\n",
           "log\n1\n" + root,
           "\n1\n" + root + "\n",
           "log\n01\n" + root + "\n",
           "log\n-1\n" + root + "\n",
           "log\n+1\n" + root + "\n",
           "log\n 1\n" + root + "\n",
           "log\n1a\n" + root + "\n",
           "log\n\n" + root + "\n",
           "log\n9223372036854775808\n" + root + "\n",
           "log\n1\nnot base64!\n",
           "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
           "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n",
           "log\n1\n" + root + "\n\n",
           "log\n1\n" + root + "\next\n\nmore\n",
       }) {
    const auto status = ParseCheckpointBody(bad).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message().substr(0, 17), "checkpoint body: ") << bad;
  }
}

}  // namespace
}  // namespace compliance
