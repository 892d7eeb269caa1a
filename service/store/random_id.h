#pragma once

#include <optional>
#include <string>

namespace compliance {

/// `count` bytes from OpenSSL's CSPRNG; nullopt when it cannot deliver them.
std::optional<std::string> RandomBytes(int count);

/// A random (version 4) UUID in its canonical lower-case text form. Made here rather than by
/// PostgreSQL so that a create knows its ids without a round trip to ask for them.
std::string RandomUuid();

}  // namespace compliance
