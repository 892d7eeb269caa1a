#include "domain/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"

namespace compliance {
namespace {

// FIPS 180-2's examples (appendix B) and the empty message.
TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(absl::BytesToHexString(Sha256("abc")), Sha256Hex("abc"));
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

// Hashing parts is hashing them joined: how the chain and tree hashes avoid copying an event.
TEST(Sha256Test, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(Sha256Hex({"a", "", "bc"}), Sha256Hex("abc"));
  EXPECT_EQ(Sha256({}), Sha256(""));
  const std::string zero("\x00", 1);
  EXPECT_EQ(Sha256({zero, "leaf"}), Sha256(zero + "leaf"));
}

// Each thread reuses a context of its own: digests made at once on several threads, one after
// another on each, are each the digest of their own message.
TEST(Sha256Test, ThreadsHashAtOnce) {
  const std::string expected = Sha256Hex("abc");
  const std::string empty = Sha256Hex("");
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (Sha256Hex(i % 2 ? "abc" : "") != (i % 2 ? expected : empty)) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace compliance
