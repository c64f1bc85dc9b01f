#include "viz/renderer.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

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

constexpr int kFrameBuffers = 3;  // frames in flight between drawing and encoding

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

// The queue between the drawing thread and the encoding thread. A job is a buffer index, or -1
// for "the previous frame again".
class FrameQueue {
 public:
  explicit FrameQueue(int buffers) {
    for (int i = 0; i < buffers; ++i) free_.push_back(i);
  }
  // Drawing side: a buffer to draw into; -1 if the encoder failed.
  int acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return !free_.empty() || failed_; });
    if (failed_) return -1;
    const int b = free_.front();
    free_.pop_front();
    return b;
  }
  void submit(int job) {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(job);
    cv_.notify_all();
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    cv_.notify_all();
  }
  // Encoding side: the next job, or false when closed and drained.
  bool next(int* job) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return !jobs_.empty() || closed_; });
    if (jobs_.empty() || aborted_) return false;
    *job = jobs_.front();
    jobs_.pop_front();
    return true;
  }
  void release(int buffer) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(buffer);
    cv_.notify_all();
  }
  void fail() {
    std::lock_guard<std::mutex> lock(mutex_);
    failed_ = true;
    cv_.notify_all();
  }
  // Drawing side gave up: the encoder stops at once and must not finish the file.
  void abort() {
    std::lock_guard<std::mutex> lock(mutex_);
    aborted_ = closed_ = true;
    cv_.notify_all();
  }
  bool aborted() {
    std::lock_guard<std::mutex> lock(mutex_);
    return aborted_;
  }
  bool failed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<int> free_;
  std::deque<int> jobs_;
  bool closed_ = false;
  bool failed_ = false;   // the encoder failed
  bool aborted_ = false;  // the drawing failed
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

  std::unique_ptr<FrameSink> sink;
  if (settings.format == OutputFormat::png_sequence) {
    sink = std::make_unique<PngSequenceSink>(settings);
  } else {
    sink = std::make_unique<VideoSink>(settings);
  }
  std::vector<std::unique_ptr<Canvas>> buffers;
  for (int i = 0; i < kFrameBuffers; ++i) {
    buffers.push_back(std::make_unique<Canvas>(settings.width, settings.height));
  }
  FramePainter painter(geo, settings.background);
  FrameQueue queue(kFrameBuffers);

  std::exception_ptr encode_error;
  std::thread encoder([&] {
    try {
      int job = 0;
      while (queue.next(&job)) {
        if (job < 0) {
          sink->repeat();
        } else {
          sink->push(buffers[job]->data(), buffers[job]->stride());
          queue.release(job);
        }
      }
      if (!queue.aborted()) sink->finish();
    } catch (...) {
      encode_error = std::current_exception();
      queue.fail();
    }
  });

  std::exception_ptr draw_error;
  int64_t done = 0;
  try {
    double previous_t = 0;
    for (int64_t n = 0; n < total; ++n) {
      const double t = static_cast<double>(n) / settings.fps;
      if (n > 0 && timeline.is_static(previous_t, t)) {
        if (queue.failed()) break;
        queue.submit(-1);
      } else {
        const int b = queue.acquire();
        if (b < 0) break;
        painter.paint(*buffers[b], timeline.state_at(t));
        queue.submit(b);
      }
      previous_t = t;
      ++done;
      if (progress) progress(done, total);
    }
  } catch (...) {
    draw_error = std::current_exception();
  }
  if (draw_error) {
    queue.abort();
    encoder.join();
    sink.reset();  // an unfinished video is deleted
    std::rethrow_exception(draw_error);
  }
  queue.close();
  encoder.join();
  if (encode_error) std::rethrow_exception(encode_error);
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
