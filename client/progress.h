#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace compliance::cli {

/// A one-line progress bar on a terminal; when disabled it draws nothing, and messages are
/// printed as plain lines either way.
class ProgressBar {
 public:
  /// `enabled` is typically StderrIsTerminal().
  ProgressBar(std::ostream& out, size_t total, std::string unit, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Moves the bar `count` steps on.
  void Advance(size_t count);
  /// Prints a line above the bar.
  void Message(const std::string& line);
  /// Removes the bar; later messages are plain lines.
  void Finish();

  /// The bar's text for `done` of `total`, e.g. `[#####     ]  50% 500/1000 rows`.
  static std::string Render(size_t done, size_t total, const std::string& unit, size_t width);

 private:
  void Draw();
  void Clear();

  std::ostream& out_;
  size_t total_;
  size_t done_ = 0;
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
};

/// True when stderr is a terminal (isatty).
bool StderrIsTerminal();

}  // namespace compliance::cli
