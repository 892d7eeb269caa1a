#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace compliance::cli {

ProgressBar::ProgressBar(std::ostream& out, size_t total, std::string unit, bool enabled)
    : out_(out), total_(total), unit_(std::move(unit)), enabled_(enabled) {
  Draw();
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Advance(size_t count) {
  done_ = std::min(total_, done_ + count);
  Draw();
}

void ProgressBar::Message(const std::string& line) {
  Clear();
  out_ << line << '\n';
  Draw();
}

void ProgressBar::Finish() {
  Clear();
  enabled_ = false;
}

std::string ProgressBar::Render(size_t done, size_t total, const std::string& unit, size_t width) {
  const size_t filled = total == 0 ? width : done * width / total;
  const size_t percent = total == 0 ? 100 : done * 100 / total;
  return absl::StrCat("[", std::string(filled, '#'), std::string(width - filled, ' '), "] ",
                      absl::StrFormat("%3d%%", percent), " ", done, "/", total, " ", unit);
}

void ProgressBar::Draw() {
  if (!enabled_) return;
  out_ << "\r\x1b[2K" << Render(done_, total_, unit_, 30) << std::flush;
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!enabled_ || !drawn_) return;
  out_ << "\r\x1b[2K" << std::flush;
  drawn_ = false;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace compliance::cli
