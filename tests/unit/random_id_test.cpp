#include "store/random_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"

namespace compliance {
namespace {

bool IsVersion4Uuid(const std::string& id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (id[i] == '-')) return false;
    if (!dash && !(absl::ascii_isdigit(id[i]) || (id[i] >= 'a' && id[i] <= 'f'))) return false;
  }
  return id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos;
}

// Ids come from a per-thread pool of CSPRNG bytes: well formed, and never the same twice,
// within a thread (across several refills of its pool) or between threads.
TEST(RandomIdTest, UuidsAreVersion4AndDistinct) {
  constexpr int kPerThread = 5000;  // 80,000 bytes: the pool refills about twenty times
  std::vector<std::vector<std::string>> made(2);
  std::vector<std::thread> threads;
  for (auto& ids : made) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < kPerThread; ++i) ids.push_back(RandomUuid());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (const auto& ids : made) {
    for (const auto& id : ids) {
      ASSERT_TRUE(IsVersion4Uuid(id)) << id;
      distinct.insert(id);
    }
  }
  EXPECT_EQ(distinct.size(), 2u * kPerThread);
}

TEST(RandomIdTest, BytesHaveTheLengthAsked) {
  const auto bytes = RandomBytes(32);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(bytes->size(), 32u);
  EXPECT_NE(*bytes, *RandomBytes(32));
}

}  // namespace
}  // namespace compliance
