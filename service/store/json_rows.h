#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace compliance {

/// Writes a JSON array of flat objects, the form in which a statement receives a batch of
/// rows as one parameter. Written straight into one string, without a document tree: for a
/// thousand-record batch the tree and its serializer cost more than the statement itself.
class JsonRows {
 public:
  /// Starts the next object.
  void Row();
  void String(std::string_view key, std::string_view value);
  void Number(std::string_view key, int64_t value);
  /// A JSON document embedded as the value it already is (null when empty). Read it with
  /// the json type, whose ->> returns the document's text byte for byte; `document` must be
  /// valid JSON, or the statement fails.
  void Document(std::string_view key, std::string_view document);
  /// The raw JSON `value` (an object or array built by another JsonRows, say).
  void Raw(std::string_view key, std::string_view value);

  bool empty() const { return rows_ == 0; }
  /// The array; the writer is spent.
  std::string Finish();

 private:
  void Key(std::string_view key);

  std::string text_ = "[";
  int64_t rows_ = 0;
  bool first_field_ = true;
};

}  // namespace compliance
