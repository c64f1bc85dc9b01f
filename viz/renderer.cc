#include "viz/renderer.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

bool same_item(const DrawItem& a, const DrawItem& b) {
  return a.mob == b.mob && a.state.opacity == b.state.opacity && a.state.reveal == b.state.reveal &&
         a.state.shift.x == b.state.shift.x && a.state.shift.y == b.state.shift.y &&
         a.state.scale == b.state.scale;
}

size_t common_prefix(const std::vector<DrawItem>& a, const std::vector<DrawItem>& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && same_item(a[n], b[n])) ++n;
  return n;
}

void paint_background(cairo_t* cr, const Rgba& bg) {
  cairo_save(cr);
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba(cr, bg.r, bg.g, bg.b, bg.a);
  cairo_paint(cr);
  cairo_restore(cr);
}

void draw_range(cairo_t* cr, const FrameGeometry& geo, const std::vector<DrawItem>& items,
                size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    cairo_save(cr);
    items[i].mob->draw(cr, geo, items[i].state);
    cairo_restore(cr);
  }
}

// An ARGB32 image and a context on it.
struct Canvas {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  Canvas(int w, int h) {
    surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cr = cairo_create(surface);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
      throw RuntimeFailure(std::string("cannot allocate a frame: ") +
                           cairo_status_to_string(cairo_status(cr)));
    }
  }
  ~Canvas() {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
  }
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;
  uint8_t* data() { return cairo_image_surface_get_data(surface); }
  int stride() const { return cairo_image_surface_get_stride(surface); }
  int height() const { return cairo_image_surface_get_height(surface); }
};

// Draws frames, reusing the unchanged back layers of the previous frame.
class FramePainter {
 public:
  FramePainter(const FrameGeometry& geo, const Rgba& bg)
      : geo_(geo), bg_(bg), back_(geo.width_px, geo.height_px) {}

  void paint(Canvas& out, const std::vector<DrawItem>& items) {
    // Layers unchanged since the previous frame are likely to stay: keep them in `back_`.
    const size_t stable = common_prefix(items, previous_);
    const bool back_usable = back_valid_ && back_items_.size() <= items.size() &&
                             common_prefix(items, back_items_) == back_items_.size();
    if (back_usable && stable > back_items_.size()) {
      draw_range(back_.cr, geo_, items, back_items_.size(), stable);  // grow it
      back_items_.assign(items.begin(), items.begin() + static_cast<long>(stable));
    } else if (!back_usable && stable > 0) {
      paint_background(back_.cr, bg_);
      draw_range(back_.cr, geo_, items, 0, stable);
      back_items_.assign(items.begin(), items.begin() + static_cast<long>(stable));
      back_valid_ = true;
    } else if (!back_usable) {
      back_valid_ = false;
    }
    size_t first = 0;
    if (back_valid_) {
      cairo_surface_flush(back_.surface);
      cairo_surface_flush(out.surface);
      std::memcpy(out.data(), back_.data(), static_cast<size_t>(out.stride()) * out.height());
      cairo_surface_mark_dirty(out.surface);
      first = back_items_.size();
    } else {
      paint_background(out.cr, bg_);
    }
    draw_range(out.cr, geo_, items, first, items.size());
    cairo_surface_flush(out.surface);
    previous_ = items;
  }

 private:
  FrameGeometry geo_;
  Rgba bg_;
  Canvas back_;                       // background + back_items_
  bool back_valid_ = false;           // back_ holds back_items_
  std::vector<DrawItem> back_items_;  // what back_ shows
  std::vector<DrawItem> previous_;    // the previous frame's items
};

// Where finished frames go.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void push(const uint8_t* bgra, int stride) = 0;
  virtual void repeat() = 0;
  virtual void finish() = 0;
};

class VideoSink : public FrameSink {
 public:
  explicit VideoSink(const RenderSettings& s) {
    const VideoContainer want =
        s.format == OutputFormat::gif ? VideoContainer::gif : VideoContainer::mp4;
    if (container_for_path(s.output) != want) {
      throw InputError("render: \"" + s.output + "\" does not end in ." +
                       (want == VideoContainer::gif ? "gif" : "mp4"));
    }
    encoder_.open(s.output, s.width, s.height, s.fps, s.quality);
  }
  void push(const uint8_t* bgra, int stride) override { encoder_.push_frame(bgra, stride); }
  void repeat() override { encoder_.repeat_frame(); }
  void finish() override { encoder_.finish(); }

 private:
  VideoEncoder encoder_;
};

class PngSequenceSink : public FrameSink {
 public:
  explicit PngSequenceSink(const RenderSettings& s) : s_(s) {
    std::error_code ec;
    std::filesystem::create_directories(s.output, ec);
    if (ec) {
      throw RuntimeFailure("cannot create the frame directory \"" + s.output +
                           "\": " + ec.message());
    }
  }
  void push(const uint8_t* bgra, int stride) override {
    cairo_surface_t* surface = cairo_image_surface_create_for_data(
        const_cast<uint8_t*>(bgra), CAIRO_FORMAT_ARGB32, s_.width, s_.height, stride);
    const std::string path = next_path();
    const cairo_status_t status = cairo_surface_write_to_png(surface, path.c_str());
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
      throw RuntimeFailure("cannot write \"" + path + "\": " + cairo_status_to_string(status));
    }
    last_ = path;
  }
  void repeat() override {
    const std::string path = next_path();
    std::error_code ec;
    std::filesystem::copy_file(last_, path, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) throw RuntimeFailure("cannot write \"" + path + "\": " + ec.message());
    last_ = path;
  }
  void finish() override {}

 private:
  std::string next_path() {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%06lld.png", static_cast<long long>(index_++));
    return (std::filesystem::path(s_.output) / name).string();
  }
  RenderSettings s_;
  int64_t index_ = 0;
  std::string last_;
};

// The frames of a render in order, drawn by several painters and encoded in order. Job j is frame
// j: drawn (the d-th drawn frame, d = draw_index[j]) or a repeat of the previous picture. Painter
// k draws the drawn frames d = k, k + P, k + 2P, ...; a painter starts frame d only when d lies
// within `buffers` of the next frame the encoder waits for, so the frames in flight never need
// more buffers than there are, and the frame the encoder waits for always has one.
class FrameSchedule {
 public:
  FrameSchedule(int buffers, int64_t draws) : window_(buffers), ready_(draws, -1) {
    for (int i = 0; i < buffers; ++i) free_.push_back(i);
  }
  // Painter side: a buffer to draw frame `d` into, once it is within the window; -1 when the
  // render stopped.
  int acquire(int64_t d) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return stopped_ || (d < encoded_ + window_ && !free_.empty()); });
    if (stopped_) return -1;
    const int b = free_.front();
    free_.pop_front();
    return b;
  }
  void drawn(int64_t d, int buffer) {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_[static_cast<std::size_t>(d)] = buffer;
    cv_.notify_all();
  }
  // Encoder side: the buffer holding frame `d` once drawn; -1 when the render stopped.
  int wait_drawn(int64_t d) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return stopped_ || ready_[static_cast<std::size_t>(d)] >= 0; });
    return stopped_ ? -1 : ready_[static_cast<std::size_t>(d)];
  }
  void encoded(int buffer) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(buffer);
    ++encoded_;
    cv_.notify_all();
  }
  // Frames encoded (drawn or repeated), for the progress report; waits for a change.
  int64_t wait_progress(int64_t seen) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return stopped_ || finished_ || frames_done_ != seen; });
    return frames_done_;
  }
  void frame_done() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++frames_done_;
    cv_.notify_all();
  }
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    cv_.notify_all();
  }
  // A painter or the encoder failed: everyone stops.
  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopped_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  const int window_;
  std::deque<int> free_;     // buffers no frame holds
  std::vector<int> ready_;   // per drawn frame: its buffer once drawn, else -1
  int64_t encoded_ = 0;      // drawn frames the encoder is done with
  int64_t frames_done_ = 0;  // frames (drawn or repeated) the encoder is done with
  bool finished_ = false;    // the encoder is done with every frame
  bool stopped_ = false;     // something failed
};

std::string temp_name(const std::string& path) { return path + ".part"; }

void check_surface(cairo_surface_t* surface, const std::string& path) {
  const cairo_status_t status = cairo_surface_status(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    std::remove(temp_name(path).c_str());
    throw RuntimeFailure("cannot write \"" + path + "\": " + cairo_status_to_string(status));
  }
}

}  // namespace

FrameGeometry geometry_of(const RenderSettings& settings) {
  FrameGeometry geo;
  geo.width_px = settings.width;
  geo.height_px = settings.height;
  geo.frame_height = settings.frame_height;
  return geo;
}

int auto_draw_threads(int width, int height) {
  return static_cast<long>(width) * height <= 1280L * 720 ? 2 : 1;
}

int64_t frame_count(const Timeline& timeline, int fps) {
  return std::max<int64_t>(1, std::llround(timeline.duration() * fps));
}

void draw_items(cairo_t* cr, const FrameGeometry& geo, const std::vector<DrawItem>& items,
                const Rgba& background) {
  paint_background(cr, background);
  draw_range(cr, geo, items, 0, items.size());
}

int64_t render(const Timeline& timeline, const RenderSettings& settings,
               const ProgressFn& progress) {
  if (settings.width <= 0 || settings.height <= 0 || settings.fps <= 0) {
    throw InputError("render: bad size or frame rate for \"" + settings.output + "\"");
  }
  const FrameGeometry geo = geometry_of(settings);
  const int64_t total = frame_count(timeline, settings.fps);

  // Which frames are drawn and which repeat the previous picture (nothing moves between them).
  std::vector<double> draw_times;                                     // per drawn frame: its time
  std::vector<bool> repeats(static_cast<std::size_t>(total), false);  // per frame
  for (int64_t n = 0; n < total; ++n) {
    const double t = static_cast<double>(n) / settings.fps;
    const double previous_t = static_cast<double>(n - 1) / settings.fps;
    if (n > 0 && timeline.is_static(previous_t, t)) {
      repeats[static_cast<std::size_t>(n)] = true;
    } else {
      draw_times.push_back(t);
    }
  }
  const int painters = settings.draw_threads > 0
                           ? std::min(settings.draw_threads, 8)
                           : auto_draw_threads(settings.width, settings.height);
  const int buffer_count = painters + 2;

  std::unique_ptr<FrameSink> sink;
  if (settings.format == OutputFormat::png_sequence) {
    sink = std::make_unique<PngSequenceSink>(settings);
  } else {
    sink = std::make_unique<VideoSink>(settings);
  }
  std::vector<std::unique_ptr<Canvas>> buffers;
  for (int i = 0; i < buffer_count; ++i) {
    buffers.push_back(std::make_unique<Canvas>(settings.width, settings.height));
  }
  FrameSchedule schedule(buffer_count, static_cast<int64_t>(draw_times.size()));

  std::mutex error_mutex;
  std::exception_ptr draw_error, encode_error;
  std::vector<std::thread> threads;
  for (int k = 0; k < painters; ++k) {
    threads.emplace_back([&, k] {
      try {
        FramePainter painter(geo, settings.background);
        for (auto d = static_cast<int64_t>(k); d < static_cast<int64_t>(draw_times.size());
             d += painters) {
          const int b = schedule.acquire(d);
          if (b < 0) return;
          painter.paint(*buffers[static_cast<std::size_t>(b)],
                        timeline.state_at(draw_times[static_cast<std::size_t>(d)]));
          schedule.drawn(d, b);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!draw_error) draw_error = std::current_exception();
        schedule.stop();
      }
    });
  }
  std::thread encoder([&] {
    try {
      int64_t d = 0;
      for (int64_t n = 0; n < total; ++n) {
        if (repeats[static_cast<std::size_t>(n)]) {
          if (schedule.stopped()) return;
          sink->repeat();
        } else {
          const int b = schedule.wait_drawn(d++);
          if (b < 0) return;
          sink->push(buffers[static_cast<std::size_t>(b)]->data(),
                     buffers[static_cast<std::size_t>(b)]->stride());
          schedule.encoded(b);
        }
        schedule.frame_done();
      }
      sink->finish();
      schedule.finish();
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      encode_error = std::current_exception();
      schedule.stop();
    }
  });

  // Progress on the calling thread, as the encoder finishes frames. A progress report that throws
  // stops the render like a failed frame.
  int64_t done = 0;
  std::exception_ptr progress_error;
  try {
    while (done < total && !schedule.stopped()) {
      const int64_t now = schedule.wait_progress(done);
      if (now == done) break;  // stopped or finished
      for (; done < now; ++done) {
        if (progress) progress(done + 1, total);
      }
    }
  } catch (...) {
    progress_error = std::current_exception();
    schedule.stop();
  }
  encoder.join();
  for (std::thread& t : threads) t.join();
  if (draw_error || encode_error || progress_error) {
    sink.reset();  // an unfinished video is deleted
    std::rethrow_exception(draw_error ? draw_error : encode_error ? encode_error : progress_error);
  }
  return done;
}

void render_still(const Timeline& timeline, double t, const std::string& path, StillFormat format,
                  const FrameGeometry& geometry, const Rgba& background) {
  const std::string temp = temp_name(path);
  const std::vector<DrawItem> items = timeline.state_at(t);
  const double w = geometry.width_px, h = geometry.height_px;
  cairo_surface_t* surface = nullptr;
  switch (format) {
    case StillFormat::png:
      surface =
          cairo_image_surface_create(CAIRO_FORMAT_ARGB32, geometry.width_px, geometry.height_px);
      break;
    case StillFormat::svg:
      surface = cairo_svg_surface_create(temp.c_str(), w, h);
      break;
    case StillFormat::pdf:
      surface = cairo_pdf_surface_create(temp.c_str(), w, h);
      break;
  }
  check_surface(surface, path);
  cairo_t* cr = cairo_create(surface);
  draw_items(cr, geometry, items, background);
  const cairo_status_t draw_status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_status_t status = draw_status;
  if (status == CAIRO_STATUS_SUCCESS && format == StillFormat::png) {
    status = cairo_surface_write_to_png(surface, temp.c_str());
  }
  cairo_surface_finish(surface);  // vector surfaces write their file here
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    std::remove(temp.c_str());
    throw RuntimeFailure("cannot write \"" + path + "\": " + cairo_status_to_string(status));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    throw RuntimeFailure("cannot move \"" + temp + "\" to \"" + path + "\"");
  }
}

}  // namespace trajtool
