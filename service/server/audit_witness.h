#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace compliance {

/// A directory outside the database that receives every checkpoint the server signs, one file
/// each, never rewritten: meant to be a WORM mount or a bucket synced elsewhere, so that what
/// the log once was survives whoever holds the database.
class AuditWitnessDir {
 public:
  /// No directory: records nothing.
  AuditWitnessDir() = default;
  explicit AuditWitnessDir(std::string path) : path_(std::move(path)) {}

  bool enabled() const { return !path_.empty(); }

  /// Writes `note` as the checkpoint of `tree_size` (checkpoint-<size, 20 digits>), creating
  /// the file exclusively and syncing it; a size already recorded is left as it is. False,
  /// with the reason in `error`, when it cannot.
  bool Append(int64_t tree_size, const std::string& note, std::string* error) const;

  /// The note of the largest size recorded, if any.
  std::optional<std::string> Newest() const;

  /// The file name for `tree_size`.
  static std::string FileName(int64_t tree_size);

 private:
  std::string path_;
};

}  // namespace compliance
