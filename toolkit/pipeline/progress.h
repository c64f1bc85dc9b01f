#pragma once
// Progress for long work: a bar redrawn in place on stderr when stderr is a terminal, nothing when
// it is piped or redirected (logs stay clean).
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace trajtool {

class ProgressBar {
 public:
  // `label` precedes the bar; `total` is the unit count of the whole job.
  ProgressBar(std::string label, int64_t total);
  ~ProgressBar();  // clears the bar line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(int64_t done);  // cheap: redraws at most ~10 times a second
  void clear();               // erases the bar (to print a line); the next update() redraws it
  static bool enabled();      // stderr is a terminal and TRAJTOOL_NO_PROGRESS is unset

 private:
  void draw(int64_t done);
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// One bar that several workers advance at once, each reporting the count of its own job: the bar
// shows the sum.
class SharedProgress {
 public:
  explicit SharedProgress(ProgressBar& bar) : bar_(bar) {}
  // The callback of one worker's job, (done so far in it, its total); safe from any thread.
  std::function<void(int64_t done, int64_t total)> worker() {
    return [this, last = int64_t{0}](int64_t done, int64_t) mutable {
      std::lock_guard<std::mutex> lock(mutex_);
      sum_ += done - last;
      last = done;
      bar_.update(sum_);
    };
  }

 private:
  ProgressBar& bar_;
  std::mutex mutex_;  // guards sum_ and the bar
  int64_t sum_ = 0;   // units done over all jobs
};

}  // namespace trajtool
