#pragma once
// Helpers for the viz tests: a temporary directory, running a command, reading pixels.
#include <cairo.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace trajtool::test {

// A fresh directory under the system temp dir, deleted with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `command` through the shell; returns its stdout. Sets *status to the exit status if given.
std::string run(const std::string& command, int* status = nullptr);

// ffprobe's `key=value` lines for the first video stream and the format of `path`, frames counted.
std::map<std::string, std::string> probe(const std::string& path);

// Decodes frame `index` of a video with the ffmpeg CLI into a PNG next to it; returns the path.
std::string extract_frame(const std::string& video, int index);

// An 8-bit RGB pixel.
struct Pixel {
  int r = 0, g = 0, b = 0;
};

// Loads a PNG (throws on failure); the caller destroys the surface.
cairo_surface_t* load_png(const std::string& path);
Pixel pixel_at(cairo_surface_t* image, int x, int y);

// The whole file as bytes.
std::string read_file(const std::string& path);

}  // namespace trajtool::test
