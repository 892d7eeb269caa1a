#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"

// What the fuzz targets share: a property check that stops the run (libFuzzer then keeps the
// input as a crash), and a reader that cuts an input into the values a target needs.

#define FUZZ_CHECK(condition, what)                                                         \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "fuzz property failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__, \
                   #condition, std::string(what).c_str());                                  \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)

namespace compliance::fuzz {

/// Takes values from the front of a fuzz input; once it is used up, every value is empty or 0.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  /// A string of up to `max` bytes, its length given by the next byte.
  std::string String(size_t max = 255) {
    const size_t length = std::min<size_t>(Byte(), max);
    return Bytes(length);
  }
  /// Exactly `length` bytes, or what is left.
  std::string Bytes(size_t length) {
    const absl::string_view taken = rest_.substr(0, length);
    rest_.remove_prefix(taken.size());
    return std::string(taken);
  }
  uint8_t Byte() {
    if (rest_.empty()) return 0;
    const auto byte = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return byte;
  }
  int64_t Int64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | Byte();
    return static_cast<int64_t>(value);
  }
  /// Everything not yet taken.
  std::string Rest() { return Bytes(rest_.size()); }
  bool empty() const { return rest_.empty(); }

 private:
  absl::string_view rest_;
};

}  // namespace compliance::fuzz
