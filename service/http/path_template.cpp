#include "http/path_template.h"

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace compliance {
namespace {

// Reads a template left to right; each Read* consumes what it returns.
class TemplateReader {
 public:
  explicit TemplateReader(absl::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  bool Take(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // Characters up to (not including) any of `stops`, or the end.
  absl::string_view ReadUntil(absl::string_view stops) {
    const size_t start = pos_;
    while (!AtEnd() && stops.find(text_[pos_]) == absl::string_view::npos) ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("path template ", text, ": ", why));
}

// One segment at the reader: `*`, `**` or a literal.
absl::StatusOr<PathTemplate::Segment> ReadSegment(TemplateReader& reader, absl::string_view text) {
  using Kind = PathTemplate::Segment::Kind;
  const absl::string_view word = reader.ReadUntil("/:{}=");
  if (word == "*") return PathTemplate::Segment{Kind::kWildcard, ""};
  if (word == "**") return PathTemplate::Segment{Kind::kRest, ""};
  if (word.empty() || absl::StrContains(word, '*')) return Invalid(text, "empty or bad segment");
  return PathTemplate::Segment{Kind::kLiteral, std::string(word)};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate parsed;
  parsed.text_ = std::string(text);
  TemplateReader reader(text);
  if (!reader.Take('/')) return Invalid(text, "must start with /");
  do {
    if (reader.Take('{')) {
      Variable variable{std::string(reader.ReadUntil("=}/:")), parsed.segments_.size(), 0};
      if (variable.field_path.empty()) return Invalid(text, "a variable without a field");
      if (reader.Take('=')) {
        do {
          auto segment = ReadSegment(reader, text);
          if (!segment.ok()) return segment.status();
          parsed.segments_.push_back(*std::move(segment));
        } while (reader.Take('/'));
      } else {
        parsed.segments_.push_back({Segment::Kind::kWildcard, ""});
      }
      if (!reader.Take('}')) return Invalid(text, "a variable is not closed");
      variable.end = parsed.segments_.size();
      parsed.variables_.push_back(std::move(variable));
    } else {
      auto segment = ReadSegment(reader, text);
      if (!segment.ok()) return segment.status();
      parsed.segments_.push_back(*std::move(segment));
    }
  } while (reader.Take('/'));
  if (reader.Take(':')) {
    parsed.verb_ = std::string(reader.ReadUntil("/{}=*"));
    if (parsed.verb_.empty()) return Invalid(text, "an empty verb");
  }
  if (!reader.AtEnd()) return Invalid(text, "unexpected characters");
  for (size_t i = 0; i + 1 < parsed.segments_.size(); ++i) {
    if (parsed.segments_[i].kind == Segment::Kind::kRest) return Invalid(text, "** is not last");
  }
  return parsed;
}

std::optional<PathBindings> PathTemplate::Match(absl::string_view path) const {
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;
  if (!verb_.empty() && !absl::ConsumeSuffix(&path, absl::StrCat(":", verb_))) return std::nullopt;
  std::vector<std::string> parts;
  for (absl::string_view raw : absl::StrSplit(path, '/')) {
    auto decoded = PercentDecode(raw);
    if (!decoded || decoded->empty()) return std::nullopt;
    parts.push_back(*std::move(decoded));
  }
  // Where each template segment starts among `parts`; the last entry is the end.
  std::vector<size_t> starts;
  size_t next = 0;
  for (const Segment& segment : segments_) {
    starts.push_back(next);
    if (next >= parts.size()) return std::nullopt;
    switch (segment.kind) {
      case Segment::Kind::kLiteral:
        if (parts[next] != segment.literal) return std::nullopt;
        ++next;
        break;
      case Segment::Kind::kWildcard:
        ++next;
        break;
      case Segment::Kind::kRest:
        next = parts.size();
        break;
    }
  }
  if (next != parts.size()) return std::nullopt;
  starts.push_back(next);
  PathBindings bindings;
  for (const Variable& variable : variables_) {
    const auto first = parts.begin() + starts[variable.first];
    const auto end = parts.begin() + starts[variable.end];
    bindings.emplace_back(variable.field_path, absl::StrJoin(first, end, "/"));
  }
  return bindings;
}

}  // namespace compliance
