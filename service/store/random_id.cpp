#include "store/random_id.h"

#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace compliance {

std::optional<std::string> RandomBytes(int count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), count) != 1) return std::nullopt;
  return bytes;
}

namespace {

// RAND_bytes costs about a microsecond a call whatever it returns (a fork check and locks):
// a batch of a thousand creates spent 6 % of the server's time drawing its ids one by one
// (bench/README.md, issue 18). Each thread draws 4 KiB from the CSPRNG at a time instead.
class RandomPool {
 public:
  void Take(unsigned char* out, size_t count) {
    if (kSize - used_ < count) {
      // Thrown inside a transaction, this becomes INTERNAL and writes nothing.
      if (RAND_bytes(bytes_.data(), kSize) != 1) {
        throw std::runtime_error("no random bytes for a UUID");
      }
      used_ = 0;
    }
    std::memcpy(out, bytes_.data() + used_, count);
    std::memset(bytes_.data() + used_, 0, count);  // handed out once, then forgotten
    used_ += count;
  }

 private:
  static constexpr size_t kSize = 4096;
  std::array<unsigned char, kSize> bytes_{};
  size_t used_ = kSize;
};

}  // namespace

std::string RandomUuid() {
  std::array<unsigned char, 16> b;
  thread_local RandomPool pool;
  pool.Take(b.data(), b.size());
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[b[i] >> 4];
    text += kHex[b[i] & 0x0f];
  }
  return text;
}

}  // namespace compliance
