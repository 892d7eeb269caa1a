#include "store/random_id.h"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace compliance {

std::optional<std::string> RandomBytes(int count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), count) != 1) return std::nullopt;
  return bytes;
}

std::string RandomUuid() {
  std::array<unsigned char, 16> b;
  // Thrown inside a transaction, this becomes INTERNAL and writes nothing.
  if (RAND_bytes(b.data(), b.size()) != 1) throw std::runtime_error("no random bytes for a UUID");
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
