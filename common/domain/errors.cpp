#include "domain/errors.h"

#include "absl/strings/ascii.h"

namespace compliance {
namespace {

// A path: parts joined by dots, each a name ([a-z][a-z0-9_]*) and any number of bracketed
// keys: a list index or a map key ("labels[app.kubernetes.io/name]"), which may hold anything
// but "]". Returns the path's length at the start of `text`, 0 when there is none.
size_t PathLength(absl::string_view text) {
  size_t i = 0;
  while (true) {
    if (i == text.size() || !absl::ascii_islower(text[i])) return 0;
    while (i < text.size() &&
           (absl::ascii_islower(text[i]) || absl::ascii_isdigit(text[i]) || text[i] == '_')) {
      ++i;
    }
    while (i < text.size() && text[i] == '[') {
      const size_t close = text.find(']', i + 1);
      if (close == absl::string_view::npos || close == i + 1) return 0;
      i = close + 1;
    }
    if (i == text.size() || text[i] != '.') return i;
    ++i;
  }
}

}  // namespace

std::optional<FieldProblem> SplitFieldError(absl::string_view message) {
  const size_t length = PathLength(message);
  if (length == 0 || message.substr(length, 2) != ": ") return std::nullopt;
  return FieldProblem{std::string(message.substr(0, length)),
                      std::string(message.substr(length + 2))};
}

}  // namespace compliance
