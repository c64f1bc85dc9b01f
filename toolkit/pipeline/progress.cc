#include "toolkit/pipeline/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace trajtool {

bool ProgressBar::enabled() {
  return isatty(STDERR_FILENO) == 1 && std::getenv("TRAJTOOL_NO_PROGRESS") == nullptr;
}

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(int64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done < total_ && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(done);
}

void ProgressBar::clear() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

void ProgressBar::draw(int64_t done) {
  constexpr int kWidth = 30;
  double fraction = static_cast<double>(done) / static_cast<double>(total_);
  if (fraction > 1) fraction = 1;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  std::fprintf(stderr, "\r\033[K%s [%s] %3d%% %.1fs", label_.c_str(), bar.c_str(),
               static_cast<int>(fraction * 100), elapsed);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace trajtool
