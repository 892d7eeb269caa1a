#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace compliance::cli {

/// The words the CLI reads and writes for a value of a contract enum, read from its descriptor
/// so that a new value is one edit of the proto: the value's name without the enum's prefix,
/// lower case, `-` between words (EVIDENCE_KIND_TRAINING_RECORD → `training-record`).
class EnumWords {
 public:
  /// The words of `Enum` (a generated enum type).
  template <typename Enum>
  static const EnumWords& Of() {
    static const EnumWords words(*google::protobuf::GetEnumDescriptor<Enum>());
    return words;
  }

  explicit EnumWords(const google::protobuf::EnumDescriptor& descriptor);

  /// The number of a word in any case, with `-` or `_` between words, or of the full value
  /// name; nullopt for UNSPECIFIED and for what is no value.
  std::optional<int> Parse(absl::string_view text) const;

  /// The word of a number, UNSPECIFIED's too, with `separator` between its words; nullopt
  /// when the enum has no such value.
  std::optional<std::string> Word(int number, char separator = '-') const;

  /// Every word but UNSPECIFIED's, in number order: "a, b, c" or, with `last` ("or"),
  /// "a, b or c".
  std::string List(absl::string_view last = "") const;

 private:
  struct Value {
    int number;
    std::string word;  ///< with `-` between words
  };
  std::vector<Value> values_;  ///< in the descriptor's order, UNSPECIFIED's too
  std::string prefix_;         ///< e.g. `evidence-kind-`, accepted before a word
};

}  // namespace compliance::cli
