#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// The values a matched path gives its template's variables: (field path, value) pairs such
/// as ("requirement.name", "frameworks/iso27001-2022/requirements/5.1.a").
using PathBindings = std::vector<std::pair<std::string, std::string>>;

/// One `google.api.http` path template (AIP-127), e.g.
/// `/v1/{name=frameworks/*/requirements/*}:review`, parsed once and matched against request
/// paths. The grammar is the published one: literal segments, `*` (one segment), `**` (the
/// rest, last only), variables `{field.path}` or `{field.path=segments}`, and a `:verb`.
class PathTemplate {
 public:
  /// One segment of the template.
  struct Segment {
    enum class Kind { kLiteral, kWildcard, kRest };
    Kind kind;
    std::string literal;  ///< for kLiteral
  };
  /// A variable: the request field it sets and the segments [first, end) it spans.
  struct Variable {
    std::string field_path;
    size_t first;
    size_t end;
  };

  /// The template of `text`, or INVALID_ARGUMENT saying what is wrong with it.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  /// The bindings when `path` (a request target's path, still percent-encoded) matches;
  /// nullopt otherwise. Each segment is percent-decoded after splitting, so an encoded `/`
  /// stays inside its segment.
  std::optional<PathBindings> Match(absl::string_view path) const;

  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Variable>& variables() const { return variables_; }
  const std::string& verb() const { return verb_; }
  /// The template as written.
  const std::string& text() const { return text_; }

 private:
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  std::string text_;
};

/// `text` with `%XX` escapes decoded; nullopt when an escape is malformed.
std::optional<std::string> PercentDecode(absl::string_view text);

}  // namespace compliance
